namespace SafetyCheck.Decisions;

/// <summary>Log messages about decisions. Never logs patient identity or birth dates.</summary>
internal static partial class DecisionLog
{
    [LoggerMessage(101, LogLevel.Information, "Decision {DecisionId}: {Suitability} with {PrecautionCount} precautions, revision {Revision}, {ElapsedMs:0.###} ms")]
    public static partial void Decided(ILogger logger, string decisionId, string suitability, int precautionCount, string revision, double elapsedMs);

    [LoggerMessage(102, LogLevel.Information, "Rejected an invalid request: {ViolationCount} field violations ({Fields})")]
    public static partial void Rejected(ILogger logger, int violationCount, string fields);

    [LoggerMessage(103, LogLevel.Warning, "No valid rule set is loaded: the request cannot be decided")]
    public static partial void NoRuleSet(ILogger logger);
}
