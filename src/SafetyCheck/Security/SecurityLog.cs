using SafetyCheck.Logging;

namespace SafetyCheck.Security;

/// <summary>Log messages about access control. Keys, tokens and their hashes are never logged; caller names are.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(301, LogLevel.Information, "Access control: {ApiKeyCount} API keys, JWT issuer {Jwt}, client certificates {ClientCertificates}")]
    public static partial void Configured(ILogger logger, int apiKeyCount, string jwt, string clientCertificates);

    [LoggerMessage(302, LogLevel.Warning, "No credentials are configured and the service listens on loopback only. {Action} the development API key in {File}: "
        + "it holds every role ({Roles}). Send the file's content as 'authorization: Bearer KEY'. Configure SafetyCheck:Authentication for anything but development.")]
    public static partial void DevelopmentKey(ILogger logger, string action, string file, string roles);

    [LoggerMessage(303, LogLevel.Warning, "No credentials are configured: every call except health and reflection will be refused")]
    public static partial void NoCredentials(ILogger logger);

    [LoggerMessage(305, LogLevel.Information, "Refused caller {Caller} on {Method}: it needs the role {Roles}")]
    public static partial void RoleMissing(ILogger logger, string caller, string method, string roles);

    [LoggerMessage(306, LogLevel.Information, "Refused a bearer token as a JWT: {Reason} ({Count} refused since the last report; reported at most once every {IntervalSeconds} s)")]
    public static partial void TokenRefused(ILogger logger, long count, string reason, double intervalSeconds);

    [LoggerMessage(304, LogLevel.Information, "Refused {Count} {Calls} whose bearer token is not a known API key since the last report, the latest to {Path} from {Address} (reported at most once every {IntervalSeconds} s)")]
    private static partial void ApiKeyRefused(ILogger logger, long count, string calls, string path, string address, double intervalSeconds);

    public static void ApiKeyRefused(ILogger logger, long count, string path, string address, double intervalSeconds) =>
        ApiKeyRefused(logger, count, LogText.Calls(count), path, address, intervalSeconds);
}
