namespace SafetyCheck.Core.Evaluation;

/// <summary>One rule's result for one request: fired, not fired, or errored (with the error message).</summary>
public sealed record RuleOutcome(string RuleId, bool Fired, string? Error)
{
    public bool Errored => Error is not null;
}
