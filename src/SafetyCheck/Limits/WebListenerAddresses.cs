using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SafetyCheck.Security;

namespace SafetyCheck.Limits;

/// <summary>
/// The addresses of a listener that browsers or EHRs reach apart from the gRPC endpoints (the auditor's page, the CDS
/// Hooks service): https anywhere, or cleartext http on loopback only (behind a TLS proxy on the same machine), each
/// with its port written out. Over TLS the listener speaks HTTP/1.1 and HTTP/2 by ALPN; in cleartext HTTP/1.1, since
/// browsers and EHRs speak HTTP/2 only over TLS.
/// </summary>
internal sealed class WebListenerAddresses
{
    private readonly (string Host, int Port, bool Https)[] _addresses;

    private WebListenerAddresses(IReadOnlyList<string> urls, (string Host, int Port, bool Https)[] addresses)
    {
        Urls = urls;
        _addresses = addresses;
    }

    /// <summary>The acceptable URLs, as configured.</summary>
    public IReadOnlyList<string> Urls { get; }

    /// <summary>True when there is at least one address.</summary>
    public bool IsEnabled => _addresses.Length > 0;

    /// <summary>The addresses of the <c>;</c>-separated <paramref name="urls"/>; unacceptable entries are left out (the options validators name them).</summary>
    /// <param name="urls">The configured list.</param>
    /// <param name="servedUnder">Where the listener serves, named in the message for an address with a path (<c>/audit/</c>).</param>
    public static WebListenerAddresses Parse(string? urls, string servedUnder)
    {
        var valid = SideListenerAddresses.Split(urls).Where(u => Problem(u, servedUnder) is null).ToArray();
        return new WebListenerAddresses(valid, [.. valid.Select(u => BindingAddress.Parse(u))
            .Select(a => (a.Host.Trim('[', ']'), a.Port, IsHttps(a)))]);
    }

    /// <summary>Null when <paramref name="url"/> can be such an address; otherwise what is wrong with it.</summary>
    /// <param name="url">One configured address.</param>
    /// <param name="servedUnder">Where the listener serves, named in the message for an address with a path.</param>
    public static string? Problem(string url, string servedUnder)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (ListenAddresses.TryParse(url) is not { } address)
        {
            return "is not a URL of the form https://HOST:PORT or http://HOST:PORT";
        }

        var https = IsHttps(address);
        if (address.IsUnixPipe || address.IsNamedPipe || !(https || string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase)))
        {
            return "must be https://HOST:PORT or http://HOST:PORT";
        }

        if (address.PathBase.Length > 0)
        {
            return $"must not have a path (the {servedUnder})";
        }

        if (!ListenAddresses.HasExplicitPort(url, address))
        {
            return "must name a port between 1 and 65535";
        }

        // A key, a session cookie, a bearer token or patient data crosses these listeners: over the network, TLS.
        return https || ListenAddresses.IsLoopback(url) ? null
            : "is cleartext off loopback: use https:// (certificate from Kestrel:Certificates:Default), or listen on 127.0.0.1 behind a TLS proxy on this machine";
    }

    /// <summary>
    /// The protocols of a listener bound to <paramref name="local"/>: null for one that is not one of these; HTTP/1.1
    /// and HTTP/2 (by ALPN) over TLS; HTTP/1.1 in cleartext.
    /// </summary>
    public HttpProtocols? ProtocolsFor(EndPoint? local)
    {
        foreach (var (host, port, https) in _addresses)
        {
            if (ListenAddresses.Accepts(host, port, local))
            {
                return https ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="local"/>, the end point a connection arrived on, is one of these addresses.</summary>
    public bool Accepts(EndPoint? local) => _addresses.Any(a => ListenAddresses.Accepts(a.Host, a.Port, local));

    /// <summary>True when the request arrived on one of these addresses (never on the in-memory test server).</summary>
    public bool Accepts(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.LocalIpAddress is { } address && Accepts(new IPEndPoint(address, context.Connection.LocalPort));
    }

    private static bool IsHttps(BindingAddress address) => string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase);
}
