namespace SafetyCheck.Telemetry;

internal static partial class TelemetryLog
{
    [LoggerMessage(1201, LogLevel.Warning, "Rule {RuleId} has gone silent on revision {Revision}: it fired in at least {MinFirings} of the last {Window} decisions on revision {PreviousRevision} and in none of the first {NewRevisionWindow} on this one; check that the edit meant it")]
    public static partial void SilentRule(ILogger logger, string ruleId, string revision, string previousRevision, int minFirings, int window, int newRevisionWindow);

    [LoggerMessage(1202, LogLevel.Information, "Metrics are served for scraping at /metrics on {Urls}")]
    public static partial void MetricsEndpoint(ILogger logger, string urls);

    [LoggerMessage(1203, LogLevel.Information, "The silent-rule alarm takes up the last {Decisions} decisions of this instance's audit chain")]
    public static partial void SilentRulesResumed(ILogger logger, int decisions);

    [LoggerMessage(1204, LogLevel.Warning, "The silent-rule alarm starts with empty windows: the audit trail could not be read ({Reason})")]
    public static partial void SilentRulesNotResumed(ILogger logger, string reason);

}
