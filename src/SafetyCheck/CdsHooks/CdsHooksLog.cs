namespace SafetyCheck.CdsHooks;

/// <summary>
/// Log messages of the CDS Hooks service. Nothing that could identify a patient is logged: no patient or resource ids,
/// no FHIR content, no tokens; issuers, service ids, server addresses and counts are.
/// </summary>
internal static partial class CdsHooksLog
{
    [LoggerMessage(1101, LogLevel.Information, "CDS Hooks: {Services} services on {Urls}, discovery at {Discovery}; {Issuers} allowed issuers; CORS origins: {Origins}")]
    public static partial void Listening(ILogger logger, int services, string urls, string discovery, int issuers, string origins);

    [LoggerMessage(1102, LogLevel.Information, "CDS Hooks: refused a call to {Path} ({Status}): {Reason}")]
    public static partial void Refused(ILogger logger, string path, int status, string reason);

    [LoggerMessage(1103, LogLevel.Information, "CDS Hooks: {Service} from {Issuer}: HTTP {Status}, {Sessions} sessions, {Cards} cards ({Outcome})")]
    public static partial void Answered(ILogger logger, string service, string issuer, int status, int sessions, int cards, string outcome);

    [LoggerMessage(1104, LogLevel.Warning, "CDS Hooks: the FHIR server could not give the data for {Service} from {Issuer}: {Reason}")]
    public static partial void FhirServerFailed(ILogger logger, string service, string issuer, string reason);

    [LoggerMessage(1105, LogLevel.Warning, "CDS Hooks: the JWKS at {Url} could not be fetched: {Reason}")]
    public static partial void JwksUnavailable(ILogger logger, string url, string reason);

    [LoggerMessage(1106, LogLevel.Information, "CDS Hooks: feedback for {Service} from {Issuer}: {Count} cards recorded")]
    public static partial void FeedbackRecorded(ILogger logger, string service, string issuer, int count);

    [LoggerMessage(1107, LogLevel.Warning, "CDS Hooks: feedback for {Service} could not be recorded: {Reason}")]
    public static partial void FeedbackNotRecorded(ILogger logger, string service, string reason);

    [LoggerMessage(1108, LogLevel.Warning, "CDS Hooks: refused {Count} calls with HTTP 429 since the last report, the latest from {Issuer} ({Reason}); per issuer: {CallsPerSecond} calls per second in bursts of {Burst}, {MaxConcurrentCalls} hook calls at once (0: no limit; reported at most once every {IntervalSeconds} s)")]
    public static partial void CallsRefused(ILogger logger, long count, string issuer, string reason, int callsPerSecond, int burst, int maxConcurrentCalls, double intervalSeconds);

    [LoggerMessage(1109, LogLevel.Warning, "CDS Hooks: the JWKS at {Url} could not be fetched ({Reason}) and the keys held were fetched more than {MaxStaleMinutes} minutes ago (JwksMaxStaleMinutes; last fetched {LastFetched}): the issuer's tokens are refused until a fetch works")]
    public static partial void JwksStale(ILogger logger, string url, string reason, int maxStaleMinutes, string lastFetched);
}
