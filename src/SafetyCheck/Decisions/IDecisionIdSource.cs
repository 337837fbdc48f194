namespace SafetyCheck.Decisions;

/// <summary>Issues the <c>decision_id</c> of each decision: unique, and ordered by issue time.</summary>
internal interface IDecisionIdSource
{
    /// <summary>A new id in the canonical lowercase 8-4-4-4-12 form.</summary>
    string Next();
}
