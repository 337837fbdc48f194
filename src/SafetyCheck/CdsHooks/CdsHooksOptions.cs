namespace SafetyCheck.CdsHooks;

/// <summary>
/// The CDS Hooks 2.0 service, from the <c>SafetyCheck:CdsHooks</c> configuration section (environment:
/// <c>SafetyCheck__CdsHooks__…</c>). Off unless <see cref="Urls"/> names at least one address: the service has listeners
/// of its own (HTTP/1.1, and HTTP/2 by ALPN over TLS), because the gRPC listeners speak cleartext HTTP/2 only.
/// </summary>
internal sealed class CdsHooksOptions
{
    public const string Section = "SafetyCheck:CdsHooks";

    /// <summary>
    /// Where the service listens, <c>;</c>-separated, each <c>https://HOST:PORT</c> or <c>http://HOST:PORT</c> with an
    /// explicit port (e.g. <c>https://0.0.0.0:5443</c>). Cleartext only on loopback (behind a TLS proxy on the same
    /// machine); anywhere else <c>https</c>, with the certificate of <c>Kestrel:Certificates:Default</c>. Default: none,
    /// the service is off.
    /// </summary>
    public string? Urls { get; set; }

    /// <summary>
    /// The base URL EHRs call, as they see it (e.g. <c>https://safetycheck.example.org</c>): the discovery URL is
    /// <c>BASE/cds-services</c> and each token's <c>aud</c> must be the URL of the endpoint it calls under it. Default:
    /// the first of <see cref="Urls"/>. Required behind a proxy that changes the scheme, host or port.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>The EHRs (token issuers) allowed to call, each with the keys its tokens are signed with. At least one.</summary>
    public List<CdsIssuerOptions> Issuers { get; } = [];

    /// <summary>
    /// Browser origins (<c>https://ehr.example.org</c>) allowed to call from script (CORS), for EHRs whose CDS client
    /// runs in the browser. Default: none (server-to-server calls need no CORS).
    /// </summary>
    public List<string> AllowedOrigins { get; } = [];

    /// <summary>Longest token lifetime accepted (<c>exp</c> − <c>iat</c>), in seconds. Default 300 (the five minutes the specification suggests); 10–3600.</summary>
    public int MaxTokenLifetimeSeconds { get; set; } = 300;

    /// <summary>Tolerance for clock differences when checking <c>exp</c>, <c>nbf</c> and <c>iat</c>, in seconds. Default 30; 0–300.</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>
    /// How many token ids (<c>jti</c>) are remembered until their token expires, to refuse a token used twice. Default
    /// 100000; when full (an unusual burst), new tokens are refused with 429 until old ones expire. 100–10000000.
    /// </summary>
    public int ReplayCacheSize { get; set; } = 100_000;

    /// <summary>How long a fetched JWKS is kept before it is fetched again, in minutes (an unknown <c>kid</c> fetches sooner). Default 60; 1–1440.</summary>
    public int JwksCacheMinutes { get; set; } = 60;

    /// <summary>
    /// How long an issuer's keys may still be used after the last fetch of its JWKS that worked, in minutes, while its
    /// JWKS URL cannot be fetched: past it, that issuer's tokens are refused (401) until a fetch works again, so a key
    /// the EHR has withdrawn is not trusted for as long as its JWKS URL is unreachable. Default 1440 (a day: an outage
    /// of an evening or a night does not stop the checks, and a withdrawn key is trusted at most a day); at least
    /// <see cref="JwksCacheMinutes"/>; 1–10080.
    /// </summary>
    public int JwksMaxStaleMinutes { get; set; } = 1440;

    /// <summary>Timeout of each request to the EHR's FHIR server or to a JWKS URL, in seconds. Default 5; 1–60.</summary>
    public int FhirTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// The time all of one call's fetches from the EHR's FHIR server may take together, in seconds (they run in
    /// parallel; each also within <see cref="FhirTimeoutSeconds"/>). Past it the check is not made (412). Default 6,
    /// under the 10 s many EHRs wait for a hook's answer; 1–60.
    /// </summary>
    public int FhirBudgetSeconds { get; set; } = 6;

    /// <summary>Largest response read from the EHR's FHIR server or a JWKS URL, in bytes. Default 4194304 (4 MiB).</summary>
    public int MaxFhirResponseBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Most search pages followed per prefetch query on the EHR's FHIR server. Default 10; 1–100.</summary>
    public int MaxFhirPages { get; set; } = 10;

    /// <summary>
    /// Accept <c>http://</c> FHIR servers and JWKS URLs. Default false: the specification requires HTTPS when production
    /// data is exchanged. For development and tests only.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>Largest request body accepted, in bytes. Default 1048576 (1 MiB); 1024 or more.</summary>
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The session setting when the appointment or order does not name one (extension <c>session-setting</c>):
    /// <c>HOME</c>, <c>OUTPATIENT</c>, <c>INPATIENT</c> or <c>NICU</c>. Default: none (rules that need the setting
    /// treat it as unknown).
    /// </summary>
    public string? DefaultSetting { get; set; }

    /// <summary>IANA time zone whose calendar date of the session is the session date (ages). Default <c>UTC</c>.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// Codes (<c>system|code</c>) that mark an appointment (<c>serviceType</c>, <c>appointmentType</c>,
    /// <c>serviceCategory</c>) or an order (<c>ServiceRequest.code</c>) as a massage session. Default: none, every
    /// proposed appointment and every selected ServiceRequest is checked (register the service for massage workflows
    /// only). When set, appointments and orders without one of them get no cards.
    /// </summary>
    public List<string> SessionCodes { get; } = [];

    /// <summary>Most sessions (appointments or orders) checked in one call. Default 10; 1–50.</summary>
    public int MaxSessionsPerCall { get; set; } = 10;

    /// <summary>
    /// Calls one EHR (the verified token's issuer) may make per second, hook calls, feedback and discovery alike: a
    /// token bucket of <see cref="CallBurstPerIssuer"/> refilled at this rate; beyond it, HTTP 429 with
    /// <c>Retry-After</c>. Counted after the token is verified, before the body is read, so every token the service
    /// keeps against replay is one of a call within this rate. Default 20 (a busy hospital's booking and ordering peak, with room to spare); 0: no rate limit; 0–10000.
    /// </summary>
    public int CallsPerSecondPerIssuer { get; set; } = 20;

    /// <summary>
    /// The most calls one EHR may make at once after a quiet spell (the bucket's size), e.g. a clinic
    /// list booked in one go. Default 100; at least <see cref="CallsPerSecondPerIssuer"/>; at most 100000.
    /// </summary>
    public int CallBurstPerIssuer { get; set; } = 100;

    /// <summary>
    /// Hook calls one EHR may have in progress at once (each may wait on that EHR's FHIR server and holds an audit
    /// write); one more gets HTTP 429 with <c>Retry-After</c> at once, without waiting. Per issuer, so an EHR whose FHIR
    /// server is slow cannot take the slots of the others; the issuers are allow-listed, so the whole listener is bounded
    /// too (issuers × this). Feedback and discovery take no slot. Default 16; 0: no cap; 0–10000.
    /// </summary>
    public int MaxConcurrentCallsPerIssuer { get; set; } = 16;

    /// <summary>The <c>source.url</c> of every card: where a clinician learns about the service and its rules. Default: none.</summary>
    public string? SourceUrl { get; set; }
}
