namespace SafetyCheck.Limits;

/// <summary>Log messages about limits. Caller names are logged (they are not secrets); credentials never are.</summary>
internal static partial class LimitsLog
{
    [LoggerMessage(401, LogLevel.Warning, "Refused a call to {Method} with RESOURCE_EXHAUSTED: {MaxConcurrentCalls} calls in progress and {MaxQueuedCalls} queued")]
    public static partial void Saturated(ILogger logger, string method, int maxConcurrentCalls, int maxQueuedCalls);

    [LoggerMessage(402, LogLevel.Information, "Refused a call to {Path} with RESOURCE_EXHAUSTED: caller {Partition} is over {CallsPerSecond} calls per second")]
    public static partial void RateLimited(ILogger logger, string path, string partition, int callsPerSecond);

    [LoggerMessage(403, LogLevel.Debug, "Closed a connection from {Address}: it already holds {MaxConnectionsPerAddress} connections")]
    public static partial void ConnectionRefused(ILogger logger, string address, int maxConnectionsPerAddress);

    [LoggerMessage(404, LogLevel.Warning, "Closed {Count} connections over the cap of {MaxConnectionsPerAddress} per address since the last report, the latest from {Address} (reported at most once every {IntervalSeconds} s)")]
    public static partial void ConnectionsRefused(ILogger logger, long count, string address, int maxConnectionsPerAddress, double intervalSeconds);
}
