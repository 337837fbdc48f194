namespace SafetyCheck.Telemetry;

/// <summary>
/// <c>SafetyCheck:Telemetry:SilentRules</c>: when a rule counts as having gone silent after the served rule revision
/// changed. A rule is reported when it fired in at least <see cref="MinFirings"/> of the last <see cref="Window"/>
/// decisions on the previous revision, and in none of the first <see cref="NewRevisionWindow"/> decisions on the new one
/// (a rule the new revision no longer has is not reported: it was removed, not silenced). With the defaults a rule that
/// fired in 5 % or more of 200 decisions and then in none of the next 200 is reported; its chance of that silence by
/// luck alone is below 0.004 %.
/// </summary>
internal sealed class SilentRuleOptions
{
    /// <summary>Whether the alarm listens. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Decisions on the previous revision looked back over (the last ones before the change); 1–100 000, default 200.</summary>
    public int Window { get; set; } = 200;

    /// <summary>Firings within <see cref="Window"/> that make a rule "regular"; 1–<see cref="Window"/>, default 10.</summary>
    public int MinFirings { get; set; } = 10;

    /// <summary>Decisions on the new revision after which a regular rule that never fired is reported; 1–100 000, default 200.</summary>
    public int NewRevisionWindow { get; set; } = 200;
}
