using System.Net;

namespace SafetyCheck.Limits;

/// <summary>
/// The health-only listen addresses of <see cref="LimitsOptions.HealthUrls"/> (see <see cref="SideListenerAddresses"/>
/// for how they are parsed and matched).
/// </summary>
internal sealed class HealthListener
{
    /// <summary>The gRPC path prefix of the health service, the only one served on these addresses.</summary>
    public const string HealthPath = "/grpc.health.v1.Health";

    private readonly SideListenerAddresses _addresses;

    private HealthListener(SideListenerAddresses addresses) => _addresses = addresses;

    /// <summary>The well-formed URLs, as configured.</summary>
    public IReadOnlyList<string> Urls => _addresses.Urls;

    public bool IsEnabled => _addresses.IsEnabled;

    /// <summary>The listener for the <c>;</c>-separated <paramref name="urls"/>; malformed entries are left out (the options validator names them).</summary>
    public static HealthListener Parse(string? urls) => new(SideListenerAddresses.Parse(urls));

    /// <inheritdoc cref="SideListenerAddresses.Split"/>
    public static IReadOnlyList<string> Split(string? urls) => SideListenerAddresses.Split(urls);

    /// <inheritdoc cref="SideListenerAddresses.Problem"/>
    public static string? Problem(string url) => SideListenerAddresses.Problem(url);

    /// <summary>True when <paramref name="local"/>, the end point a connection arrived on, is a health address.</summary>
    public bool Accepts(EndPoint? local) => _addresses.Accepts(local);

    /// <summary>True when the HTTP request arrived on a health address (never on the in-memory test server).</summary>
    public bool Accepts(HttpContext context) => _addresses.Accepts(context);
}
