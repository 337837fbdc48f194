using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SafetyCheck.Limits;
using SafetyCheck.Security;

namespace SafetyCheck.AuditPage;

/// <summary>
/// The page's listen addresses (<see cref="AuditPageOptions.Urls"/>): which they are, whether each is acceptable, and
/// whether a connection arrived on one. The page is served on these addresses only, and nothing else is served there.
/// </summary>
internal sealed class AuditPageListener
{
    private readonly (string Host, int Port, bool Https)[] _addresses;

    private AuditPageListener(IReadOnlyList<string> urls, (string Host, int Port, bool Https)[] addresses)
    {
        Urls = urls;
        _addresses = addresses;
    }

    /// <summary>The acceptable URLs, as configured.</summary>
    public IReadOnlyList<string> Urls { get; }

    /// <summary>True when the page has at least one address.</summary>
    public bool IsEnabled => _addresses.Length > 0;

    /// <summary>The listener for the <c>;</c>-separated <paramref name="urls"/>; unacceptable entries are left out (the options validator names them).</summary>
    public static AuditPageListener Parse(string? urls)
    {
        var valid = HealthListener.Split(urls).Where(u => Problem(u) is null).ToArray();
        return new AuditPageListener(valid, [.. valid.Select(u => BindingAddress.Parse(u))
            .Select(a => (a.Host.Trim('[', ']'), a.Port, string.Equals(a.Scheme, "https", StringComparison.OrdinalIgnoreCase)))]);
    }

    /// <summary>Null when <paramref name="url"/> can be a page address; otherwise what is wrong with it.</summary>
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
            return "is not a URL of the form https://HOST:PORT or http://HOST:PORT";
        }

        var https = string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase);
        if (address.IsUnixPipe || address.IsNamedPipe || !(https || string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase)))
        {
            return "must be https://HOST:PORT or http://HOST:PORT";
        }

        if (address.PathBase.Length > 0)
        {
            return "must not have a path (the page is served under /audit/)";
        }

        var explicitPort = url.TrimEnd('/').EndsWith(":" + address.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        if (!explicitPort || address.Port is <= 0 or > 65535)
        {
            return "must name a port between 1 and 65535";
        }

        // Sign-in sends a key and the session is a cookie: over the network both need TLS.
        return https || ListenAddresses.IsLoopback(url) ? null
            : "is cleartext off loopback: use https:// (certificate from Kestrel:Certificates:Default), or listen on 127.0.0.1 behind a TLS proxy on this machine";
    }

    /// <summary>
    /// The protocols of a listener bound to <paramref name="local"/>: null for one that is not the page's; HTTP/1.1 and
    /// HTTP/2 (by ALPN) over TLS; HTTP/1.1 in cleartext (browsers speak HTTP/2 only over TLS).
    /// </summary>
    public HttpProtocols? ProtocolsFor(EndPoint? local) =>
        _addresses.Where(a => ListenAddresses.Accepts(a.Host, a.Port, local)).Select(a => (HttpProtocols?)(a.Https ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1)).FirstOrDefault();

    /// <summary>True when <paramref name="local"/>, the end point a connection arrived on, is a page address.</summary>
    public bool Accepts(EndPoint? local) => _addresses.Any(a => ListenAddresses.Accepts(a.Host, a.Port, local));

    /// <summary>True when the request arrived on a page address (never on the in-memory test server).</summary>
    public bool Accepts(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.LocalIpAddress is { } address && Accepts(new IPEndPoint(address, context.Connection.LocalPort));
    }
}
