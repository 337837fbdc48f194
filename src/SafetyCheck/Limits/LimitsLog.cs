using SafetyCheck.Logging;

namespace SafetyCheck.Limits;

/// <summary>Log messages about limits. Caller names are logged (they are not secrets); credentials never are.</summary>
internal static partial class LimitsLog
{
    [LoggerMessage(401, LogLevel.Warning, "Refused {Count} {Calls} with RESOURCE_EXHAUSTED since the last report: the limits of {MaxConcurrentCalls} {CallsInProgress} in progress and {MaxQueuedCalls} queued (SafetyCheck:Limits:MaxConcurrentCalls, SafetyCheck:Limits:MaxQueuedCalls) were reached; the latest from caller {Caller} to {Method} (reported at most once every {IntervalSeconds} s)")]
    private static partial void Saturated(ILogger logger, long count, string calls, int maxConcurrentCalls, string callsInProgress, int maxQueuedCalls, string caller, string method, double intervalSeconds);

    /// <summary>Calls refused because every slot and the queue were taken; <paramref name="caller"/> is the latest refused caller's name (never a credential).</summary>
    public static void Saturated(ILogger logger, long count, int maxConcurrentCalls, int maxQueuedCalls, string caller, string method, double intervalSeconds) =>
        Saturated(logger, count, LogText.Calls(count), maxConcurrentCalls, LogText.Calls(maxConcurrentCalls), maxQueuedCalls, caller, method, intervalSeconds);

    [LoggerMessage(402, LogLevel.Information, "Refused {Count} {Calls} with RESOURCE_EXHAUSTED over a caller's {CallsPerSecond} calls per second since the last report, the latest to {Path} from {Partition} (reported at most once every {IntervalSeconds} s)")]
    private static partial void RateLimited(ILogger logger, long count, string calls, int callsPerSecond, string path, string partition, double intervalSeconds);

    /// <summary>Calls refused over a caller's rate; <paramref name="partition"/> is the caller's name, else its address.</summary>
    public static void RateLimited(ILogger logger, long count, int callsPerSecond, string path, string partition, double intervalSeconds) =>
        RateLimited(logger, count, LogText.Calls(count), callsPerSecond, path, partition, intervalSeconds);

    [LoggerMessage(403, LogLevel.Debug, "Closed a connection from {Address}: it already holds {MaxConnectionsPerAddress} connections")]
    public static partial void ConnectionRefused(ILogger logger, string address, int maxConnectionsPerAddress);

    [LoggerMessage(404, LogLevel.Warning, "Closed {Count} {Connections} over the cap of {MaxConnectionsPerAddress} per address (SafetyCheck:Limits:MaxConnectionsPerAddress) since the last report, the latest from {Address} (reported at most once every {IntervalSeconds} s)")]
    private static partial void ConnectionsRefused(ILogger logger, long count, string connections, int maxConnectionsPerAddress, string address, double intervalSeconds);

    /// <summary>Connections closed over the per-address cap since the last report.</summary>
    public static void ConnectionsRefused(ILogger logger, long count, string address, int maxConnectionsPerAddress, double intervalSeconds) =>
        ConnectionsRefused(logger, count, count == 1 ? "connection" : "connections", maxConnectionsPerAddress, address, intervalSeconds);
}
