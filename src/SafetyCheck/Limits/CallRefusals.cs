using SafetyCheck.Core.Telemetry;

namespace SafetyCheck.Limits;

/// <summary>
/// Logs the gRPC calls the limits refuse with RESOURCE_EXHAUSTED — over a caller's rate, or with every slot and the
/// queue taken — at most once per <see cref="LogInterval"/> each, with the number refused and the latest refusal's
/// detail (<see cref="RefusalReport{T}"/>), so that a runaway client or an overload makes a few lines, not one per call.
/// The caller still gets its answer for every call.
/// </summary>
internal sealed class CallRefusals : IDisposable
{
    /// <summary>The most often each kind of refusal is logged: one line per interval, with the number refused in it.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private readonly RefusalReport<(string Path, string Partition)> _rateLimited;
    private readonly RefusalReport<(string Method, string Caller)> _saturated;

    public CallRefusals(IOptions<LimitsOptions> options, TimeProvider clock, ILogger<CallRefusals> log)
    {
        var limits = options.Value;
        _rateLimited = new(clock, LogInterval, (refused, latest) =>
            LimitsLog.RateLimited(log, refused, limits.CallsPerSecondPerCaller, latest.Path, latest.Partition, LogInterval.TotalSeconds));
        _saturated = new(clock, LogInterval, (refused, latest) =>
            LimitsLog.Saturated(log, refused, limits.MaxConcurrentCalls, limits.MaxQueuedCalls, latest.Caller, latest.Method, LogInterval.TotalSeconds));
    }

    /// <summary>A call to <paramref name="path"/> refused because <paramref name="partition"/> (the caller, else its address) is over its rate.</summary>
    public void RateLimited(string path, string partition) => _rateLimited.Refused((path, partition));

    /// <summary>
    /// A call to <paramref name="method"/> by <paramref name="caller"/> (its authenticated name, never a credential)
    /// refused because every slot and the queue were taken.
    /// </summary>
    public void Saturated(string method, string caller) => _saturated.Refused((method, caller));

    /// <summary>Logs the refusals not yet reported.</summary>
    public void Dispose()
    {
        _rateLimited.Dispose();
        _saturated.Dispose();
    }
}
