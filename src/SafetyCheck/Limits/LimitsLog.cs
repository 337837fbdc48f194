namespace SafetyCheck.Limits;

/// <summary>Log messages about limits. Caller names are logged (they are not secrets); credentials never are.</summary>
internal static partial class LimitsLog
{
    [LoggerMessage(401, LogLevel.Warning, "Refused {Count} calls with RESOURCE_EXHAUSTED since the last report, {MaxConcurrentCalls} calls in progress and {MaxQueuedCalls} queued; the latest to {Method} (reported at most once every {IntervalSeconds} s)")]
    public static partial void Saturated(ILogger logger, long count, int maxConcurrentCalls, int maxQueuedCalls, string method, double intervalSeconds);

    [LoggerMessage(402, LogLevel.Information, "Refused {Count} calls with RESOURCE_EXHAUSTED over a caller's {CallsPerSecond} calls per second since the last report, the latest to {Path} from {Partition} (reported at most once every {IntervalSeconds} s)")]
    public static partial void RateLimited(ILogger logger, long count, int callsPerSecond, string path, string partition, double intervalSeconds);

    [LoggerMessage(403, LogLevel.Debug, "Closed a connection from {Address}: it already holds {MaxConnectionsPerAddress} connections")]
    public static partial void ConnectionRefused(ILogger logger, string address, int maxConnectionsPerAddress);

    [LoggerMessage(404, LogLevel.Warning, "Closed {Count} connections over the cap of {MaxConnectionsPerAddress} per address since the last report, the latest from {Address} (reported at most once every {IntervalSeconds} s)")]
    public static partial void ConnectionsRefused(ILogger logger, long count, string address, int maxConnectionsPerAddress, double intervalSeconds);
}
