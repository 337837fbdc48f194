namespace SafetyCheck.RuleSets;

/// <summary>What started a reload of the rule set.</summary>
internal enum ReloadTrigger
{
    /// <summary>The rule directory changed under the running service (<see cref="RuleDirectoryWatcher"/>).</summary>
    FileWatch,

    /// <summary>A <c>rules-admin</c> caller asked (<c>safetycheck.v1.RuleAdmin/ReloadRules</c>).</summary>
    Caller,
}
