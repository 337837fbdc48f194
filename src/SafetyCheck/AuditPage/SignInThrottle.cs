using System.Collections.Concurrent;

namespace SafetyCheck.AuditPage;

/// <summary>
/// Slows guessing of API keys on the sign-in form: after <see cref="MaxFailures"/> failed sign-ins from one address
/// within a minute, that address may not try again until the minute is over. Generated keys cannot be guessed anyway;
/// keys chosen by people can. Thread-safe; old windows are dropped as new failures arrive.
/// </summary>
internal sealed class SignInThrottle(TimeProvider clock)
{
    /// <summary>Failed sign-ins one address may make within <see cref="Window"/>.</summary>
    public const int MaxFailures = 10;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (DateTimeOffset Start, int Failures)> _windows = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="address"/> may try to sign in now.</summary>
    public bool MayTry(string address) =>
        !_windows.TryGetValue(address, out var window) || clock.GetUtcNow() - window.Start >= Window || window.Failures < MaxFailures;

    /// <summary>Counts a failed sign-in; returns the failures of the address in its current window.</summary>
    public int Fail(string address)
    {
        var now = clock.GetUtcNow();
        if (_windows.Count > 10_000)
        {
            foreach (var (key, window) in _windows)
            {
                if (now - window.Start >= Window)
                {
                    _windows.TryRemove(key, out _);
                }
            }
        }

        return _windows.AddOrUpdate(address, _ => (now, 1), (_, w) => now - w.Start >= Window ? (now, 1) : (w.Start, w.Failures + 1)).Failures;
    }
}
