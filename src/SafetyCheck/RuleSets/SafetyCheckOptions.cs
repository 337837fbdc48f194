namespace SafetyCheck.RuleSets;

/// <summary>Settings from the <c>SafetyCheck</c> configuration section (appsettings.json, <c>SafetyCheck__…</c> environment variables).</summary>
internal sealed class SafetyCheckOptions
{
    public const string Section = "SafetyCheck";

    /// <summary>The rule directory when no <c>--rules</c> flag is given. Default: <c>rules</c>, relative to the current directory.</summary>
    public string Rules { get; set; } = "rules";

    /// <summary>
    /// Time one evaluation may take, in milliseconds, before the rules not yet run count as errored (the verdict
    /// then fails closed to CLINICIAN_REVIEW_REQUIRED). Default 2000; 0 means no budget.
    /// </summary>
    public int EvaluationBudgetMilliseconds { get; set; } = 2000;
}
