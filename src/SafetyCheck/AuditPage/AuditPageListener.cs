using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SafetyCheck.Limits;

namespace SafetyCheck.AuditPage;

/// <summary>
/// The page's listen addresses (<see cref="AuditPageOptions.Urls"/>; see <see cref="WebListenerAddresses"/> for which
/// are acceptable and the protocols they speak). The page is served on these addresses only, and nothing else is
/// served there.
/// </summary>
internal sealed class AuditPageListener
{
    private const string ServedUnder = "page is served under /audit/";

    private readonly WebListenerAddresses _addresses;

    private AuditPageListener(WebListenerAddresses addresses) => _addresses = addresses;

    /// <summary>The acceptable URLs, as configured.</summary>
    public IReadOnlyList<string> Urls => _addresses.Urls;

    /// <summary>True when the page has at least one address.</summary>
    public bool IsEnabled => _addresses.IsEnabled;

    /// <summary>The listener for the <c>;</c>-separated <paramref name="urls"/>; unacceptable entries are left out (the options validator names them).</summary>
    public static AuditPageListener Parse(string? urls) => new(WebListenerAddresses.Parse(urls, ServedUnder));

    /// <summary>Null when <paramref name="url"/> can be a page address; otherwise what is wrong with it.</summary>
    public static string? Problem(string url) => WebListenerAddresses.Problem(url, ServedUnder);

    /// <inheritdoc cref="WebListenerAddresses.ProtocolsFor"/>
    public HttpProtocols? ProtocolsFor(EndPoint? local) => _addresses.ProtocolsFor(local);

    /// <summary>True when <paramref name="local"/>, the end point a connection arrived on, is a page address.</summary>
    public bool Accepts(EndPoint? local) => _addresses.Accepts(local);

    /// <summary>True when the request arrived on a page address (never on the in-memory test server).</summary>
    public bool Accepts(HttpContext context) => _addresses.Accepts(context);
}
