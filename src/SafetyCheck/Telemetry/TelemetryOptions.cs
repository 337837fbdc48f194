namespace SafetyCheck.Telemetry;

/// <summary>
/// <c>SafetyCheck:Telemetry</c>: where metrics are scraped and how the silent-rule alarm listens. OTLP export is set
/// by the standard <c>OTEL_*</c> environment variables instead (on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set).
/// </summary>
internal sealed class TelemetryOptions
{
    public const string Section = "SafetyCheck:Telemetry";

    /// <summary>
    /// <c>;</c>-separated <c>http://HOST:PORT</c> addresses that serve the Prometheus text exposition at
    /// <c>/metrics</c> (HTTP/1.1, no credentials, nothing else), apart from the gRPC endpoints. Empty (the default): no
    /// scrape endpoint.
    /// </summary>
    public string MetricsUrls { get; set; } = "";

    /// <summary>The silent-rule alarm.</summary>
    public SilentRuleOptions SilentRules { get; set; } = new();
}
