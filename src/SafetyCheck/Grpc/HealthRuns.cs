using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SafetyCheck.RuleSets;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace SafetyCheck.Grpc;

/// <summary>
/// The health checks' runs for <c>Health/Watch</c> streams, shared: a stream asking for the status gets the run in
/// progress, or the last one when it is younger than the age it accepts, else a new run. While the audit store is
/// failing each run probes it with a write (and while it is idle, with a liveness round trip at most every 2 s), so a
/// hundred watchers must not mean a hundred probes a second. Runs are
/// not cancelled by any one stream (the checks bound their own waits). Ages are real time, like the streams' period,
/// not the service clock (which tests hold still). Thread-safe.
/// </summary>
internal sealed class HealthRuns(HealthCheckService checks)
{
    private readonly Lock _gate = new();
    private Task<ServingStatus>? _latest;
    private long _startedAt;

    // The status of the latest-started run that completed (-1 before the first), for readers that must not wait (the
    // metric), and when that run started: a slower run started earlier never overwrites a newer one's status.
    private int _lastStatus = -1;
    private long _lastStatusStartedAt = long.MinValue;

    /// <summary>The status from a run started no longer than <paramref name="maxAge"/> ago (or still going).</summary>
    public Task<ServingStatus> LatestAsync(TimeSpan maxAge)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (_latest is { } latest && (!latest.IsCompleted || (latest.IsCompletedSuccessfully && Stopwatch.GetElapsedTime(_startedAt, now) < maxAge)))
            {
                return latest;
            }

            _startedAt = now;
            return _latest = RunAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// The status without waiting, for the <c>safetycheck.serving</c> gauge: the run started no longer than
    /// <paramref name="maxAge"/> ago when it has completed, else the last run that completed (starting a new one when the
    /// last is older); null before any run has completed.
    /// </summary>
    public ServingStatus? Observe(TimeSpan maxAge)
    {
        var run = LatestAsync(maxAge);
        if (run.IsCompletedSuccessfully)
        {
            return run.Result;
        }

        int last;
        lock (_gate)
        {
            last = _lastStatus;
        }

        return last < 0 ? null : (ServingStatus)last;
    }

    /// <summary>One run of the checks behind the service's health, of its own (Check runs one per call): NOT_SERVING when any is unhealthy.</summary>
    public async Task<ServingStatus> RunAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var report = await checks.CheckHealthAsync(r => r.Tags.Contains(RuleSetHealthCheck.Tag), cancellationToken).ConfigureAwait(false);
        var status = report.Status == HealthStatus.Unhealthy ? ServingStatus.NotServing : ServingStatus.Serving;
        lock (_gate)
        {
            if (started >= _lastStatusStartedAt)
            {
                (_lastStatus, _lastStatusStartedAt) = ((int)status, started);
            }
        }

        return status;
    }
}
