using System.Globalization;
using Microsoft.Extensions.Logging;

namespace SafetyCheck.Audit.Chain;

/// <summary>
/// Logs store failures without flooding: the first failure after a healthy spell at once, then at most one line per
/// interval with how many writes failed since the last line and the latest reason, and one line when writes succeed
/// again. Never a stack trace: the reason is the exception's message. Thread-safe.
/// </summary>
internal sealed class RepeatedFailureLog(ILogger log, TimeProvider clock, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private long _unlogged;
    private long _lastLogged;
    private bool _failing;

    public DateTimeOffset Now => clock.GetUtcNow();

    public void Failed(string reason, int writes)
    {
        long count;
        bool first;
        lock (_gate)
        {
            _unlogged += writes;
            var now = clock.GetTimestamp();
            first = !_failing;
            if (!first && clock.GetElapsedTime(_lastLogged, now) < interval)
            {
                return;
            }

            _failing = true;
            _lastLogged = now;
            count = _unlogged;
            _unlogged = 0;
        }

        if (first)
        {
            ChainWriterLog.WriteFailed(log, reason);
        }
        else
        {
            ChainWriterLog.WritesStillFailing(log, count, interval.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture), reason);
        }
    }

    public void Recovered(long failedWrites, DateTimeOffset? since)
    {
        lock (_gate)
        {
            _failing = false;
            _unlogged = 0;
        }

        var seconds = since is { } start ? (clock.GetUtcNow() - start).TotalSeconds : 0;
        ChainWriterLog.WriterRecovered(log, failedWrites, seconds.ToString("0.###", CultureInfo.InvariantCulture));
    }
}
