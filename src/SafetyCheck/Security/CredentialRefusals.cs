using SafetyCheck.Core.Telemetry;
using SafetyCheck.Limits;

namespace SafetyCheck.Security;

/// <summary>
/// Logs calls refused for their credentials — a bearer token that is not a known API key, a token refused as a JWT —
/// at most once per <see cref="LogInterval"/> for each kind, with the number refused and the latest refusal's detail
/// (<see cref="RefusalReport{T}"/>). Anyone can send bad credentials, so one line per refused call would let a client
/// with none flood the log. The first refusal of a quiet period is logged at once; the caller gets its
/// UNAUTHENTICATED for every call.
/// </summary>
internal sealed class CredentialRefusals : IDisposable
{
    /// <summary>The most often each kind is logged, as for the limits' refusals.</summary>
    public static readonly TimeSpan LogInterval = CallRefusals.LogInterval;

    private readonly RefusalReport<string> _tokens;
    private readonly RefusalReport<(string Path, string Address)> _apiKeys;

    public CredentialRefusals(TimeProvider clock, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);

        // The JWT refusals keep the category they were always logged under.
        var tokenLog = loggers.CreateLogger(typeof(JwtSetup).FullName!);
        var keyLog = loggers.CreateLogger<CredentialRefusals>();
        _tokens = new(clock, LogInterval, (refused, reason) => SecurityLog.TokenRefused(tokenLog, refused, reason, LogInterval.TotalSeconds));
        _apiKeys = new(clock, LogInterval, (refused, latest) => SecurityLog.ApiKeyRefused(keyLog, refused, latest.Path, latest.Address, LogInterval.TotalSeconds));
    }

    /// <summary>A bearer token refused as a JWT, for <paramref name="reason"/> (printable, never the token).</summary>
    public void TokenRefused(string reason) => _tokens.Refused(reason);

    /// <summary>A bearer token that is not a known API key, sent to <paramref name="path"/> from <paramref name="address"/>.</summary>
    public void ApiKeyRefused(string path, string address) => _apiKeys.Refused((path, address));

    /// <summary>Logs the refusals not yet reported.</summary>
    public void Dispose()
    {
        _tokens.Dispose();
        _apiKeys.Dispose();
    }
}
