using System.Threading.RateLimiting;

namespace SafetyCheck.Limits;

/// <summary>
/// The slots for calls handled at once (<see cref="LimitsOptions.MaxConcurrentCalls"/>) and the queue in front of
/// them (<see cref="LimitsOptions.MaxQueuedCalls"/>), shared by every call to the host.
/// </summary>
internal sealed class CallConcurrencyLimiter : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;

    public CallConcurrencyLimiter(IOptions<LimitsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Limits = options.Value;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Limits.MaxConcurrentCalls,
            QueueLimit = Limits.MaxQueuedCalls,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public LimitsOptions Limits { get; }

    /// <summary>Waits for a slot; the lease is not acquired when every slot is taken and the queue is full.</summary>
    /// <exception cref="OperationCanceledException">The call was cancelled, or its deadline passed, while it waited.</exception>
    public ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken) => _limiter.AcquireAsync(1, cancellationToken);

    public void Dispose() => _limiter.Dispose();
}
