using System.Collections.Concurrent;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// The token ids (<c>jti</c>, per issuer) seen until their tokens expire, so that a token is accepted once. Bounded by
/// <see cref="CdsHooksOptions.ReplayCacheSize"/>: expired ids are dropped when it fills, and while it is still full new
/// tokens are refused (a token is never accepted without its id being remembered). Thread-safe.
/// </summary>
internal sealed class TokenReplayCache(IOptions<CdsHooksOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Lock _sweep = new();

    /// <summary>How many ids are remembered now.</summary>
    public int Count => _seen.Count;

    /// <summary>Forgets <paramref name="jti"/> of <paramref name="issuer"/> (its call was refused unanswered).</summary>
    public void Forget(string issuer, string jti) => _seen.TryRemove(Key(issuer, jti), out _);

    /// <summary>Remembers <paramref name="jti"/> of <paramref name="issuer"/> until <paramref name="forgetAfter"/>.</summary>
    /// <returns><see cref="ReplayVerdict.First"/>, <see cref="ReplayVerdict.Replayed"/>, or <see cref="ReplayVerdict.Full"/>.</returns>
    public ReplayVerdict TryRemember(string issuer, string jti, DateTimeOffset forgetAfter)
    {
        var key = Key(issuer, jti);
        var now = clock.GetUtcNow();
        if (_seen.TryGetValue(key, out var until) && until > now)
        {
            return ReplayVerdict.Replayed;
        }

        if (_seen.Count >= options.Value.ReplayCacheSize)
        {
            lock (_sweep)
            {
                foreach (var (seenKey, seenUntil) in _seen)
                {
                    if (seenUntil <= now)
                    {
                        _seen.TryRemove(seenKey, out _);
                    }
                }
            }

            if (_seen.Count >= options.Value.ReplayCacheSize)
            {
                return ReplayVerdict.Full;
            }
        }

        // Two calls with the same id at once: exactly one adds it (or replaces its expired entry); the other sees it.
        if (_seen.TryAdd(key, forgetAfter))
        {
            return ReplayVerdict.First;
        }

        return _seen.TryGetValue(key, out var old) && old <= now && _seen.TryUpdate(key, forgetAfter, old)
            ? ReplayVerdict.First
            : ReplayVerdict.Replayed;
    }

    private static string Key(string issuer, string jti) => issuer + "\n" + jti;
}
