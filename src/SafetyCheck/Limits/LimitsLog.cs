namespace SafetyCheck.Limits;

/// <summary>Log messages about limits. Caller names are logged (they are not secrets); credentials never are.</summary>
internal static partial class LimitsLog
{
    [LoggerMessage(401, LogLevel.Warning, "Refused a call to {Method} with RESOURCE_EXHAUSTED: {MaxConcurrentCalls} calls in progress and {MaxQueuedCalls} queued")]
    public static partial void Saturated(ILogger logger, string method, int maxConcurrentCalls, int maxQueuedCalls);

    [LoggerMessage(402, LogLevel.Information, "Refused a call to {Path} with RESOURCE_EXHAUSTED: caller {Partition} is over {CallsPerSecond} calls per second")]
    public static partial void RateLimited(ILogger logger, string path, string partition, int callsPerSecond);
}
