using System.Net;
using SafetyCheck.Security;

namespace SafetyCheck.Limits;

/// <summary>
/// The addresses of a listener that serves one thing apart from the gRPC endpoints (health for probes,
/// <c>/metrics</c> for scrapers): which URLs they are, whether one is well formed, and whether a connection's local end
/// point is one of them (connections are told apart by the address and port they arrived on, so the same code works for
/// <c>--urls</c> and <c>Kestrel:Endpoints</c>).
/// </summary>
internal sealed class SideListenerAddresses
{
    private readonly (string Host, int Port)[] _addresses;

    private SideListenerAddresses(IReadOnlyList<string> urls, (string Host, int Port)[] addresses)
    {
        Urls = urls;
        _addresses = addresses;
    }

    /// <summary>The well-formed URLs, as configured.</summary>
    public IReadOnlyList<string> Urls { get; }

    public bool IsEnabled => _addresses.Length > 0;

    /// <summary>The addresses of the <c>;</c>-separated <paramref name="urls"/>; malformed entries are left out (the options validators name them).</summary>
    public static SideListenerAddresses Parse(string? urls)
    {
        var valid = Split(urls).Where(u => Problem(u) is null).ToArray();
        return new SideListenerAddresses(valid, [.. valid.Select(u => BindingAddress.Parse(u)).Select(a => (a.Host.Trim('[', ']'), a.Port))]);
    }

    /// <summary>The entries of a <c>;</c>-separated list, trimmed.</summary>
    public static IReadOnlyList<string> Split(string? urls) =>
        (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Null when <paramref name="url"/> can be a side listener's address; otherwise what is wrong with it.</summary>
    public static string? Problem(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (ListenAddresses.TryParse(url) is not { } address)
        {
            return "is not a URL of the form http://HOST:PORT";
        }

        if (address.IsUnixPipe || address.IsNamedPipe || !string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase))
        {
            return "must be http://HOST:PORT (this listener speaks cleartext HTTP)";
        }

        if (address.PathBase.Length > 0)
        {
            return "must not have a path";
        }

        return ListenAddresses.HasExplicitPort(url, address) ? null : "must name a port between 1 and 65535";
    }

    /// <summary>True when <paramref name="local"/>, the end point a connection arrived on, is one of these addresses.</summary>
    public bool Accepts(EndPoint? local) => _addresses.Any(a => ListenAddresses.Accepts(a.Host, a.Port, local));

    /// <summary>True when the HTTP request arrived on one of these addresses (never on the in-memory test server).</summary>
    public bool Accepts(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.LocalIpAddress is { } address && Accepts(new IPEndPoint(address, context.Connection.LocalPort));
    }

    /// <summary>True when a listen address with <paramref name="port"/> is one of these (Kestrel's endpoint defaults know the port, not yet the connection).</summary>
    public bool HasPort(int port) => _addresses.Any(a => a.Port == port);
}
