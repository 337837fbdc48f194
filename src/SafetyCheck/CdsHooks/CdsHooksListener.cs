using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SafetyCheck.Limits;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// The CDS Hooks listen addresses (<see cref="CdsHooksOptions.Urls"/>; see <see cref="WebListenerAddresses"/> for which
/// are acceptable and the protocols they speak: the specification requires TLS over the network). The service is
/// served on these addresses only, and nothing else is served there.
/// </summary>
internal sealed class CdsHooksListener
{
    private const string ServedUnder = "service is served under /cds-services";

    private readonly WebListenerAddresses _addresses;

    private CdsHooksListener(WebListenerAddresses addresses) => _addresses = addresses;

    /// <summary>The acceptable URLs, as configured.</summary>
    public IReadOnlyList<string> Urls => _addresses.Urls;

    /// <summary>True when the service has at least one address.</summary>
    public bool IsEnabled => _addresses.IsEnabled;

    /// <summary>The listener for the <c>;</c>-separated <paramref name="urls"/>; unacceptable entries are left out (the options validator names them).</summary>
    public static CdsHooksListener Parse(string? urls) => new(WebListenerAddresses.Parse(urls, ServedUnder));

    /// <summary>Null when <paramref name="url"/> can be a CDS Hooks address; otherwise what is wrong with it.</summary>
    public static string? Problem(string url) => WebListenerAddresses.Problem(url, ServedUnder);

    /// <inheritdoc cref="WebListenerAddresses.ProtocolsFor"/>
    public HttpProtocols? ProtocolsFor(EndPoint? local) => _addresses.ProtocolsFor(local);

    /// <summary>True when the request arrived on a CDS Hooks address (never on the in-memory test server).</summary>
    public bool Accepts(HttpContext context) => _addresses.Accepts(context);
}
