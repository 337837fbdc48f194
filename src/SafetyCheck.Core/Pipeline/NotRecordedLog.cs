using System.Globalization;
using Microsoft.Extensions.Logging;

namespace SafetyCheck.Core.Pipeline;

/// <summary>
/// Logs the decisions that could not be recorded without flooding: while the audit store fails every call is answered
/// unavailable, so one line each would be thousands of lines a minute (the chain writer logs the store's failure
/// itself, once per interval). The first of a quiet interval is logged at once, in full (event 105); those that follow
/// within the interval are counted and logged as one line when it is over (event 108), by the next one or by a timer
/// when none comes, with how many and the latest one's decision id, revision and reason. Thread-safe.
/// </summary>
internal sealed class NotRecordedLog(ILogger log, TimeProvider clock, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private long _unreported;
    private (string DecisionId, string Revision, string Reason) _latest;
    private long _lastReport;
    private bool _reportedOnce;
    private ITimer? _flush;

    /// <summary>The least time between two lines.</summary>
    public TimeSpan Interval => interval;

    /// <summary>Logs decision <paramref name="decisionId"/> as not recorded, or counts it until the interval is over.</summary>
    public void NotRecorded(string decisionId, string revision, string reason)
    {
        var now = clock.GetTimestamp();
        long count;
        lock (_gate)
        {
            if (_reportedOnce && clock.GetElapsedTime(_lastReport, now) < interval)
            {
                // Reported when the interval is over, by the next one or by the timer.
                _unreported++;
                _latest = (decisionId, revision, reason);
                _flush ??= clock.CreateTimer(_ => Flush(), null, interval - clock.GetElapsedTime(_lastReport, now), Timeout.InfiniteTimeSpan);
                return;
            }

            // The interval is over: this one is logged now, with any still counted (the timer had not fired yet).
            count = _unreported + 1;
            _unreported = 0;
            _latest = default;
            _flush?.Dispose();
            _flush = null;
            _reportedOnce = true;
            _lastReport = now;
        }

        if (count == 1)
        {
            DecisionLog.NotRecorded(log, decisionId, revision, reason);
        }
        else
        {
            Summary(count, (decisionId, revision, reason));
        }
    }

    /// <summary>Logs the decisions counted since the last line, if any.</summary>
    private void Flush()
    {
        long count;
        (string DecisionId, string Revision, string Reason) latest;
        lock (_gate)
        {
            _flush?.Dispose();
            _flush = null;
            count = _unreported;
            latest = _latest;
            _unreported = 0;
            _latest = default;
            if (count == 0)
            {
                return;
            }

            _lastReport = clock.GetTimestamp();
        }

        Summary(count, latest);
    }

    private void Summary(long count, (string DecisionId, string Revision, string Reason) latest) =>
        DecisionLog.StillNotRecorded(log, count, latest.DecisionId, latest.Revision, latest.Reason, interval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));
}
