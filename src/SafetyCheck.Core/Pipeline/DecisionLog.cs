using Microsoft.Extensions.Logging;

namespace SafetyCheck.Core.Pipeline;

/// <summary>
/// The pipeline's log lines: one per request (decided, rejected or unavailable), plus one per rule that failed at request
/// time; decisions that could not be recorded are logged at most once per interval with a count (<see cref="Telemetry.RefusalReport{T}"/>). Each names the rule revision, and each about a decision its decision id (a rejected request was never a
/// decision and has none); they name the verdict and field paths too, never a patient_ref, a birth date or a code the
/// caller sent. With the JSON console formatter, DecisionId and Revision are properties of the line's State.
/// </summary>
internal static partial class DecisionLog
{
    [LoggerMessage(101, LogLevel.Information, "Decision {DecisionId}: {Suitability} with {PrecautionCount} precautions, revision {Revision}, {ElapsedMs:0.###} ms")]
    public static partial void Decided(ILogger logger, string decisionId, string suitability, int precautionCount, string revision, double elapsedMs);

    [LoggerMessage(102, LogLevel.Information, "Rejected an invalid request: {ViolationCount} field violations ({Fields}), revision {Revision}")]
    public static partial void Rejected(ILogger logger, int violationCount, string fields, string revision);

    [LoggerMessage(103, LogLevel.Warning, "No valid rule set is loaded: the request cannot be decided")]
    public static partial void NoRuleSet(ILogger logger);

    [LoggerMessage(104, LogLevel.Warning, "Decision {DecisionId}: rule {RuleId} of revision {Revision} failed at request time, so the verdict needs clinician review: {Error}")]
    public static partial void RuleFailed(ILogger logger, string decisionId, string ruleId, string revision, string error);

    [LoggerMessage(105, LogLevel.Warning, "Decision {DecisionId} of revision {Revision} could not be recorded: answered unavailable with no verdict ({Reason})")]
    public static partial void NotRecorded(ILogger logger, string decisionId, string revision, string reason);

    [LoggerMessage(108, LogLevel.Warning, "Decisions not recorded since the last report: {Count} more, answered unavailable with no verdict; the latest: decision {DecisionId} of revision {Revision} ({Reason}) (reported at most once every {IntervalSeconds} s)")]
    public static partial void StillNotRecorded(ILogger logger, long count, string decisionId, string revision, string reason, string intervalSeconds);

    [LoggerMessage(106, LogLevel.Information, "Decision {DecisionId} of revision {Revision} was cancelled by its caller before it was answered; it may have been recorded")]
    public static partial void Cancelled(ILogger logger, string decisionId, string revision);

    [LoggerMessage(109, LogLevel.Warning, "Decision {DecisionId} of revision {Revision}, cancelled by its caller while it was being recorded, was not recorded, so it is not counted as a decision ({Reason})")]
    public static partial void NotRecordedAfterCancel(ILogger logger, string decisionId, string revision, string reason, Exception? exception);

    [LoggerMessage(107, LogLevel.Error, "A decision observer failed; the outcome is unchanged")]
    public static partial void ObserverFailed(ILogger logger, Exception exception);
}
