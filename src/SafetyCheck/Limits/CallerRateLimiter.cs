using System.Threading.RateLimiting;
using Grpc.Core;
using SafetyCheck.Grpc;

namespace SafetyCheck.Limits;

/// <summary>
/// The per-caller rate limit (<see cref="LimitsOptions.CallsPerSecondPerCaller"/>): one token bucket per
/// authenticated caller name, else per remote address, so one runaway client cannot starve the others and an
/// unauthenticated client cannot guess keys at speed. Runs after authentication and before authorization, before the
/// request body is read. Idle buckets are dropped by the limiter after a few seconds, so their number stays bounded.
/// </summary>
internal static class CallerRateLimiter
{
    private const string HealthPrefix = "/grpc.health.v1.Health/";

    /// <summary>The limiter for <see cref="Microsoft.AspNetCore.RateLimiting.RateLimiterOptions.GlobalLimiter"/>.</summary>
    public static PartitionedRateLimiter<HttpContext> Create(LimitsOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var bucket = Bucket(limits.CallsPerSecondPerCaller, limits.CallBurstPerCaller);
        return PartitionedRateLimiter.Create<HttpContext, string>(context =>
            limits.CallsPerSecondPerCaller == 0 || context.Request.Path.StartsWithSegments(HealthPrefix.TrimEnd('/'), StringComparison.Ordinal)
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetTokenBucketLimiter(PartitionKey(context), _ => bucket));
    }

    /// <summary>
    /// One caller's token bucket: <paramref name="perSecond"/> tokens added every second, holding at most
    /// <paramref name="burst"/> (or <paramref name="perSecond"/> when larger); no queue, a call finding it empty is refused.
    /// </summary>
    public static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = Math.Max(burst, perSecond),
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>How long a refused caller should wait, from the refused lease (one second when the limiter does not say).</summary>
    public static TimeSpan RetryAfter(RateLimitLease refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        return refused.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : TimeSpan.FromSeconds(1);
    }

    /// <summary><c>caller:NAME</c> for an authenticated caller, else <c>address:IP</c>.</summary>
    public static string PartitionKey(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
            ? "caller:" + name
            : "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    /// <summary>
    /// Answers a refused call RESOURCE_EXHAUSTED (the middleware's default, 503, would read as UNAVAILABLE) and counts it
    /// for the refusals' log.
    /// </summary>
    public static ValueTask OnRejected(Microsoft.AspNetCore.RateLimiting.OnRejectedContext rejected, LimitsOptions limits, CallRefusals refusals)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(refusals);
        var context = rejected.HttpContext;
        refusals.RateLimited(context.Request.Path.Value ?? "", PartitionKey(context));
        var retryAfter = RetryAfter(rejected.Lease);
        GrpcStatusWriter.Write(context.Response, StatusCode.ResourceExhausted, ErrorReasons.RateLimited,
            $"Too many calls from this caller: the limit is {limits.CallsPerSecondPerCaller} per second (bursts of {limits.CallBurstPerCaller}); retry after the delay in google.rpc.RetryInfo.",
            RpcErrors.RetryAfter(retryAfter));
        return ValueTask.CompletedTask;
    }
}
