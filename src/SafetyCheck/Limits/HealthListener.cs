using System.Globalization;
using System.Net;
using SafetyCheck.Security;

namespace SafetyCheck.Limits;

/// <summary>
/// The health-only listen addresses of <see cref="LimitsOptions.HealthUrls"/>: which URLs they are, whether one is
/// well formed, and whether a connection's local end point is one of them (connections are told apart by the
/// address and port they arrived on, so the same code works for <c>--urls</c> and <c>Kestrel:Endpoints</c>).
/// </summary>
internal sealed class HealthListener
{
    /// <summary>The gRPC path prefix of the health service, the only one served on these addresses.</summary>
    public const string HealthPath = "/grpc.health.v1.Health";

    private readonly (string Host, int Port)[] _addresses;

    private HealthListener(IReadOnlyList<string> urls, (string Host, int Port)[] addresses)
    {
        Urls = urls;
        _addresses = addresses;
    }

    /// <summary>The well-formed URLs, as configured.</summary>
    public IReadOnlyList<string> Urls { get; }

    public bool IsEnabled => _addresses.Length > 0;

    /// <summary>The listener for the <c>;</c>-separated <paramref name="urls"/>; malformed entries are left out (the options validator names them).</summary>
    public static HealthListener Parse(string? urls)
    {
        var valid = Split(urls).Where(u => Problem(u) is null).ToArray();
        return new HealthListener(valid, [.. valid.Select(u => BindingAddress.Parse(u)).Select(a => (a.Host.Trim('[', ']'), a.Port))]);
    }

    /// <summary>The entries of a <c>;</c>-separated list, trimmed.</summary>
    public static IReadOnlyList<string> Split(string? urls) =>
        (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Null when <paramref name="url"/> can be a health listener; otherwise what is wrong with it.</summary>
    public static string? Problem(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return "is not a URL of the form http://HOST:PORT";
        }

        if (address.IsUnixPipe || address.IsNamedPipe || !string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase))
        {
            return "must be http://HOST:PORT (the health listener speaks cleartext HTTP/2)";
        }

        if (address.PathBase.Length > 0)
        {
            return "must not have a path";
        }

        var explicitPort = url.TrimEnd('/').EndsWith(":" + address.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return explicitPort && address.Port is > 0 and <= 65535 ? null : "must name a port between 1 and 65535";
    }

    /// <summary>True when <paramref name="local"/>, the end point a connection arrived on, is a health address.</summary>
    public bool Accepts(EndPoint? local) => _addresses.Any(a => ListenAddresses.Accepts(a.Host, a.Port, local));

    /// <summary>True when the HTTP request arrived on a health address (never on the in-memory test server).</summary>
    public bool Accepts(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.LocalIpAddress is { } address && Accepts(new IPEndPoint(address, context.Connection.LocalPort));
    }
}
