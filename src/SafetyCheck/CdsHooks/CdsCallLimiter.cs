using System.Threading.RateLimiting;
using SafetyCheck.Core.Telemetry;
using SafetyCheck.Grpc;
using SafetyCheck.Limits;
using SafetyCheck.Telemetry;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// The limits of the CDS Hooks listener, each per EHR (the verified token's issuer): a token bucket of its calls
/// (<see cref="CdsHooksOptions.CallsPerSecondPerIssuer"/>, <see cref="CdsHooksOptions.CallBurstPerIssuer"/>)
/// and the hook calls in progress (<see cref="CdsHooksOptions.MaxConcurrentCallsPerIssuer"/>, no queue: a late card is
/// of no use, so the EHR is told at once). A refused call is answered 429 before anything is decided or recorded; it is
/// counted (<c>safetycheck.cds.calls.rejected</c>) and logged at most once per <see cref="LogInterval"/>. Unauthenticated
/// calls never reach here: they are refused, uncounted, before. Idle issuers' buckets and slots are dropped by the
/// limiters after a few seconds. Thread-safe.
/// </summary>
internal sealed class CdsCallLimiter : IDisposable
{
    /// <summary>The most often refusals are logged: one line per interval, with the number refused in it.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    /// <summary>The retry delay a call refused for want of a slot is given (hook calls take well under a second).</summary>
    private const int RetryWhenBusySeconds = 1;

    private readonly CdsHooksOptions _options;
    private readonly SafetyCheckMetrics _metrics;
    private readonly PartitionedRateLimiter<string> _rate;
    private readonly PartitionedRateLimiter<string> _inProgress;
    private readonly RefusalReport<(string Issuer, string Reason)> _report;

    public CdsCallLimiter(IOptions<CdsHooksOptions> options, SafetyCheckMetrics metrics, TimeProvider clock, ILogger<CdsCallLimiter> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        var limits = options.Value;
        _options = limits;
        _metrics = metrics;
        var bucket = CallerRateLimiter.Bucket(limits.CallsPerSecondPerIssuer, limits.CallBurstPerIssuer);
        _rate = PartitionedRateLimiter.Create<string, string>(issuer => limits.CallsPerSecondPerIssuer == 0
            ? RateLimitPartition.GetNoLimiter(issuer)
            : RateLimitPartition.GetTokenBucketLimiter(issuer, _ => bucket));
        var slots = new ConcurrencyLimiterOptions { PermitLimit = Math.Max(1, limits.MaxConcurrentCallsPerIssuer), QueueLimit = 0 };
        _inProgress = PartitionedRateLimiter.Create<string, string>(issuer => limits.MaxConcurrentCallsPerIssuer == 0
            ? RateLimitPartition.GetNoLimiter(issuer)
            : RateLimitPartition.GetConcurrencyLimiter(issuer, _ => slots));
        _report = new RefusalReport<(string Issuer, string Reason)>(clock, LogInterval, (refused, latest) => CdsHooksLog.CallsRefused(
            log, refused, latest.Issuer, latest.Reason, limits.CallsPerSecondPerIssuer, limits.CallBurstPerIssuer, limits.MaxConcurrentCallsPerIssuer, LogInterval.TotalSeconds));
    }

    /// <summary>Counts a call against <paramref name="issuer"/>'s rate: null when it may go on, else why not.</summary>
    public CdsRefusal? Count(string issuer)
    {
        using var lease = _rate.AttemptAcquire(issuer);
        return lease.IsAcquired
            ? null
            : Refuse(issuer, ErrorReasons.RateLimited, "rate_limited", CallerRateLimiter.RetryAfter(lease),
                $"Too many calls from this EHR: the limit is {_options.CallsPerSecondPerIssuer} calls per second (bursts of {_options.CallBurstPerIssuer}); retry after the Retry-After delay.");
    }

    /// <summary>
    /// Takes one of <paramref name="issuer"/>'s slots for a hook call: null when <paramref name="slot"/> holds one (dispose
    /// it once the call is answered), else why not (dispose <paramref name="slot"/> all the same).
    /// </summary>
    public CdsRefusal? Enter(string issuer, out RateLimitLease slot)
    {
        slot = _inProgress.AttemptAcquire(issuer);
        return slot.IsAcquired
            ? null
            : Refuse(issuer, ErrorReasons.Overloaded, "busy", TimeSpan.FromSeconds(RetryWhenBusySeconds),
                $"This EHR already has {_options.MaxConcurrentCallsPerIssuer} hook calls in progress, the most it may; retry after the Retry-After delay.");
    }

    /// <summary>Reports refusals not yet reported and stops the limiters.</summary>
    public void Dispose()
    {
        _report.Dispose();
        _rate.Dispose();
        _inProgress.Dispose();
    }

    private CdsRefusal Refuse(string issuer, string reason, string error, TimeSpan retryAfter, string message)
    {
        _metrics.RecordRejectedCdsCall(reason, issuer);
        _report.Refused((issuer, reason));
        return new CdsRefusal(error, message, Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)));
    }
}
