using System.Globalization;
using Microsoft.Extensions.Logging;

namespace SafetyCheck.Audit.Chain;

/// <summary>
/// Logs store failures without flooding: at most one failure line per interval — the first failure after a quiet
/// interval at once, later ones as one line with how many writes failed since the last line and the latest reason —
/// and at most one recovery line per interval, so a store that flaps between failing and working is logged once per
/// interval too. Never a stack trace: the reason is the exception's message. Thread-safe.
/// </summary>
internal sealed class RepeatedFailureLog(ILogger log, TimeProvider clock, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private long _unlogged;
    private long? _lastLogged;
    private long? _lastRecoveryLogged;
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
            var wasFailing = _failing;
            _failing = true;
            if (_lastLogged is { } last && clock.GetElapsedTime(last, now) < interval)
            {
                return;
            }

            first = !wasFailing && _unlogged == writes;
            _lastLogged = now;
            count = _unlogged;
            _unlogged = 0;
        }

        if (first)
        {
            ChainWriterLog.WriteFailed(log, reason);
        }
        else if (count == 0)
        {
            // Only probes and idle checks failed (they carry no record): "0 more writes failed" would read as good news.
            ChainWriterLog.StoreStillFailing(log, interval.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture), reason);
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
            var now = clock.GetTimestamp();
            if (_lastRecoveryLogged is { } last && clock.GetElapsedTime(last, now) < interval)
            {
                return;
            }

            _lastRecoveryLogged = now;
        }

        var seconds = since is { } start ? (clock.GetUtcNow() - start).TotalSeconds : 0;
        ChainWriterLog.WriterRecovered(log, failedWrites, seconds.ToString("0.###", CultureInfo.InvariantCulture));
    }
}
