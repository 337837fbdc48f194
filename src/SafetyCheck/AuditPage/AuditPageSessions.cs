using System.Security.Cryptography;

namespace SafetyCheck.AuditPage;

/// <summary>
/// Sessions ended by signing out. A session cookie carries its session id and sign-in time (<see cref="AuditPageCookieSetup"/>);
/// signing out ends that id here, so a copy of the cookie taken before is refused on the server too, not only deleted
/// from the browser. An ended id is kept until its cookie would have ended anyway (<see cref="AuditPageOptions.SessionHours"/>
/// after sign-in). Memory is bounded: beyond <see cref="MaxEnded"/> ids the older half is replaced by one mark that ends
/// every session signed in at or before the newest of them (those auditors sign in again), so an ended session never
/// comes back. Held in memory: a restart ends every session anyway (the cookie keys are ephemeral). Thread-safe.
/// </summary>
internal sealed class AuditPageSessions(IOptions<AuditPageOptions> options, TimeProvider clock)
{
    /// <summary>Ended session ids kept at most (about 150 bytes each).</summary>
    public const int MaxEnded = 10_000;

    private readonly Dictionary<string, DateTimeOffset> _ended = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private DateTimeOffset _endedSignedInUpTo = DateTimeOffset.MinValue;

    /// <summary>Ended ids kept now (tests).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _ended.Count;
            }
        }
    }

    /// <summary>A new session id: 128 random bits, lowercase hex.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Ends the session <paramref name="sessionId"/>, signed in at <paramref name="signedInAt"/>.</summary>
    public void End(string sessionId, DateTimeOffset signedInAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        lock (_gate)
        {
            _ended[sessionId] = signedInAt;
            if (_ended.Count <= MaxEnded)
            {
                return;
            }

            // Sessions past their lifetime are refused by their sign-in time already.
            var expired = clock.GetUtcNow() - TimeSpan.FromHours(options.Value.SessionHours);
            foreach (var (id, _) in _ended.Where(e => e.Value <= expired).ToList())
            {
                _ended.Remove(id);
            }

            if (_ended.Count <= MaxEnded / 2)
            {
                return;
            }

            var older = _ended.OrderBy(e => e.Value).Take(_ended.Count - (MaxEnded / 2)).ToList();
            foreach (var (id, _) in older)
            {
                _ended.Remove(id);
            }

            _endedSignedInUpTo = older.Max(e => e.Value) is var newest && newest > _endedSignedInUpTo ? newest : _endedSignedInUpTo;
        }
    }

    /// <summary>True when the session <paramref name="sessionId"/>, signed in at <paramref name="signedInAt"/>, was ended.</summary>
    public bool IsEnded(string sessionId, DateTimeOffset signedInAt)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        lock (_gate)
        {
            return signedInAt <= _endedSignedInUpTo || _ended.ContainsKey(sessionId);
        }
    }
}
