namespace SafetyCheck.Security;

/// <summary>The roles a credential can hold; <see cref="ServiceAccess"/> says which gRPC services each one opens.</summary>
internal static class SafetyCheckRoles
{
    /// <summary>Clinical apps (EHR, scheduling, therapist apps): <c>safetycheck.v1.SafetyCheck</c> (Check, GetRuleset).</summary>
    public const string ClinicalApp = "clinical-app";

    /// <summary>Auditors: <c>safetycheck.v1.Audit</c>.</summary>
    public const string Auditor = "auditor";

    /// <summary>Rule operations: <c>safetycheck.v1.RuleAdmin</c> (ReloadRules).</summary>
    public const string RulesAdmin = "rules-admin";

    /// <summary>Every role, in a fixed order (the development key holds them all).</summary>
    public static IReadOnlyList<string> All { get; } = [ClinicalApp, Auditor, RulesAdmin];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
