namespace SafetyCheck.Core.Telemetry;

/// <summary>
/// Reports refusals (calls or connections turned away by a limit) at most once per <see cref="Interval"/>, with the
/// number refused since the last report and the latest refusal's detail, so a flood makes one log line per interval and
/// not one per refusal. The first refusal is reported at once; later ones within the interval are reported when it is
/// over, by the next refusal or by a timer when none comes. Thread-safe.
/// </summary>
/// <typeparam name="T">What the report names of the latest refusal (e.g. its remote address).</typeparam>
/// <param name="clock">The time the interval is measured in.</param>
/// <param name="interval">The least time between two reports.</param>
/// <param name="report">Reports how many were refused since the last report and the latest one.</param>
/// <param name="reportFirst">
/// When given, reports a refusal that comes alone after a quiet interval (reported at once) in place of
/// <paramref name="report"/>'s count of one: for a log whose first line says more than its counts.
/// </param>
public sealed class RefusalReport<T>(TimeProvider clock, TimeSpan interval, Action<long, T> report, Action<T>? reportFirst = null) : IDisposable
{
    private readonly Lock _gate = new();
    private long _refusedSinceReport;
    private T? _latest;
    private long _lastReportTimestamp;
    private bool _reportedOnce;
    private ITimer? _flush;

    /// <summary>The least time between two reports.</summary>
    public TimeSpan Interval => interval;

    /// <summary>Counts one refusal; reports it, with those not yet reported, when the interval since the last report is over.</summary>
    public void Refused(T latest)
    {
        var now = clock.GetTimestamp();
        lock (_gate)
        {
            _refusedSinceReport++;
            _latest = latest;
            if (_reportedOnce && clock.GetElapsedTime(_lastReportTimestamp, now) < interval)
            {
                // The count is reported when the interval is over, by the next refusal or by the timer.
                _flush ??= clock.CreateTimer(_ => Report(atOnce: false), null, interval - clock.GetElapsedTime(_lastReportTimestamp, now), Timeout.InfiniteTimeSpan);
                return;
            }
        }

        Report(atOnce: true);
    }

    /// <summary>Stops the timer, reporting refusals not yet reported.</summary>
    public void Dispose() => Report(atOnce: false);

    private void Report(bool atOnce)
    {
        long refused;
        T? latest;
        lock (_gate)
        {
            _flush?.Dispose();
            _flush = null;
            refused = _refusedSinceReport;
            latest = _latest;
            _refusedSinceReport = 0;
            _reportedOnce = true;
            _lastReportTimestamp = clock.GetTimestamp();
        }

        if (refused == 1 && atOnce && reportFirst is not null)
        {
            reportFirst(latest!);
        }
        else if (refused > 0)
        {
            // A refusal was counted, so its detail was kept.
            report(refused, latest!);
        }
    }
}
