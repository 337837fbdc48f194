namespace SafetyCheck.RuleSets;

/// <summary>How a reload of the rule set ended.</summary>
internal enum ReloadOutcome
{
    /// <summary>The candidate passed and now serves.</summary>
    Served,

    /// <summary>The candidate failed (it did not load, a case failed, it could not be archived or recorded); the revision before it still serves.</summary>
    Refused,

    /// <summary>The files hash to the revision already served: nothing was vetted or swapped.</summary>
    Unchanged,
}
