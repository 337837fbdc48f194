using System.Net;

namespace SafetyCheck.Security;

/// <summary>
/// The addresses the host is configured to listen on, read before it binds: <c>urls</c> (<c>--urls</c>,
/// ASPNETCORE_URLS), <c>http_ports</c>/<c>https_ports</c> (every interface) and <c>Kestrel:Endpoints:*:Url</c>.
/// </summary>
internal static class ListenAddresses
{
    public static IReadOnlyList<string> FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var addresses = new List<string>();
        addresses.AddRange(Split(configuration["urls"]));
        addresses.AddRange(Split(configuration["http_ports"]).Select(p => $"http://*:{p}"));
        addresses.AddRange(Split(configuration["https_ports"]).Select(p => $"https://*:{p}"));
        addresses.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(e => e["Url"])
            .OfType<string>()
            .Where(u => !string.IsNullOrWhiteSpace(u)));
        return addresses;
    }

    /// <summary>
    /// True for an address only this machine can reach: a loopback IP, <c>localhost</c>, a Unix socket or a named
    /// pipe. Wildcards (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>), other IPs and host names are not.
    /// </summary>
    public static bool IsLoopback(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        BindingAddress parsed;
        try
        {
            parsed = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return false;
        }

        if (parsed.IsUnixPipe || parsed.IsNamedPipe)
        {
            return true;
        }

        var host = parsed.Host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>
    /// True when a connection that arrived on <paramref name="local"/> was accepted by a listener bound to
    /// <paramref name="host"/>:<paramref name="port"/> (as written in a URL: an IP, <c>localhost</c>, or a wildcard
    /// <c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>). Connections are told apart by the address and port they
    /// arrived on, so this works the same for <c>--urls</c> and <c>Kestrel:Endpoints</c>.
    /// </summary>
    public static bool Accepts(string host, int port, EndPoint? local)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (local is not IPEndPoint ip || ip.Port != port)
        {
            return false;
        }

        host = host.Trim('[', ']');
        if (host is "*" or "+" || (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) && IPAddress.IsLoopback(ip.Address)))
        {
            return true;
        }

        return IPAddress.TryParse(host, out var configured)
            && (configured.Equals(IPAddress.Any) || configured.Equals(IPAddress.IPv6Any) || Normalize(configured).Equals(Normalize(ip.Address)));
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>The address of a listen URL; null when <paramref name="url"/> is not one.</summary>
    public static BindingAddress? TryParse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        try
        {
            return BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>True when <paramref name="url"/> writes its port (1–65535) out, as a dedicated listener's address must.</summary>
    public static bool HasExplicitPort(string url, BindingAddress address)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(address);
        return url.TrimEnd('/').EndsWith(":" + address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            && address.Port is > 0 and <= 65535;
    }

    private static string[] Split(string? list) =>
        (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
