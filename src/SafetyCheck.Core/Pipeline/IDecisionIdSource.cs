namespace SafetyCheck.Core.Pipeline;

/// <summary>Port: issues the <c>decision_id</c> of each decision: unique, and ordered by issue time.</summary>
public interface IDecisionIdSource
{
    /// <summary>A new id in the canonical lowercase 8-4-4-4-12 form.</summary>
    string Next();
}
