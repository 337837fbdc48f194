namespace SafetyCheck.Audit;

/// <summary>Log messages of the <c>safetycheck.v1.Audit</c> service.</summary>
internal static partial class AuditServiceLog
{
    [LoggerMessage(321, LogLevel.Warning, "The audit trail could not be read: answered UNAVAILABLE")]
    public static partial void Unreadable(ILogger logger, Exception exception);
}
