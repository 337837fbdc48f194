using SafetyCheck.Limits;

namespace SafetyCheck.Telemetry;

/// <summary>
/// The scrape listener of <see cref="TelemetryOptions.MetricsUrls"/>: its addresses speak HTTP/1.1 and serve
/// <see cref="Path"/> alone, answered before authentication and apart from the gRPC endpoints (which never serve it).
/// </summary>
internal sealed class MetricsListener
{
    /// <summary>The path of the Prometheus text exposition.</summary>
    public const string Path = "/metrics";

    private MetricsListener(SideListenerAddresses addresses) => Addresses = addresses;

    public SideListenerAddresses Addresses { get; }

    public bool IsEnabled => Addresses.IsEnabled;

    public static MetricsListener Parse(string? urls) => new(SideListenerAddresses.Parse(urls));

    /// <summary>Reads the setting straight from configuration (the host needs the addresses before options exist).</summary>
    public static MetricsListener FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Parse(configuration[$"{TelemetryOptions.Section}:{nameof(TelemetryOptions.MetricsUrls)}"]);
    }
}
