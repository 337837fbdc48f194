using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SafetyCheck.Limits;
using SafetyCheck.Security;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// The CDS Hooks listen addresses (<see cref="CdsHooksOptions.Urls"/>): which they are, whether each is acceptable, the
/// protocols of their listeners, and whether a request arrived on one. The service is served on these addresses only,
/// and nothing else is served there.
/// </summary>
internal sealed class CdsHooksListener
{
    private readonly (string Host, int Port, bool Https)[] _addresses;

    private CdsHooksListener(IReadOnlyList<string> urls, (string Host, int Port, bool Https)[] addresses)
    {
        Urls = urls;
        _addresses = addresses;
    }

    /// <summary>The acceptable URLs, as configured.</summary>
    public IReadOnlyList<string> Urls { get; }

    /// <summary>True when the service has at least one address.</summary>
    public bool IsEnabled => _addresses.Length > 0;

    /// <summary>The listener for the <c>;</c>-separated <paramref name="urls"/>; unacceptable entries are left out (the options validator names them).</summary>
    public static CdsHooksListener Parse(string? urls)
    {
        var valid = HealthListener.Split(urls).Where(u => Problem(u) is null).ToArray();
        return new CdsHooksListener(valid, [.. valid.Select(u => BindingAddress.Parse(u))
            .Select(a => (a.Host.Trim('[', ']'), a.Port, string.Equals(a.Scheme, "https", StringComparison.OrdinalIgnoreCase)))]);
    }

    /// <summary>Null when <paramref name="url"/> can be a CDS Hooks address; otherwise what is wrong with it.</summary>
    public static string? Problem(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (ListenAddresses.TryParse(url) is not { } address)
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
            return "must not have a path (the service is served under /cds-services)";
        }

        if (!ListenAddresses.HasExplicitPort(url, address))
        {
            return "must name a port between 1 and 65535";
        }

        // Calls carry patient data and bearer tokens: over the network they need TLS (the specification requires it).
        return https || ListenAddresses.IsLoopback(url) ? null
            : "is cleartext off loopback: use https:// (certificate from Kestrel:Certificates:Default), or listen on 127.0.0.1 behind a TLS proxy on this machine";
    }

    /// <summary>
    /// The protocols of a listener bound to <paramref name="local"/>: null for one that is not the service's; HTTP/1.1
    /// and HTTP/2 (by ALPN) over TLS; HTTP/1.1 in cleartext (HTTP/2 without TLS needs prior knowledge, which EHRs and
    /// browsers do not have).
    /// </summary>
    public HttpProtocols? ProtocolsFor(EndPoint? local) =>
        _addresses.Where(a => ListenAddresses.Accepts(a.Host, a.Port, local))
            .Select(a => (HttpProtocols?)(a.Https ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1))
            .FirstOrDefault();

    /// <summary>True when the request arrived on a CDS Hooks address (never on the in-memory test server).</summary>
    public bool Accepts(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.LocalIpAddress is { } address
            && _addresses.Any(a => ListenAddresses.Accepts(a.Host, a.Port, new IPEndPoint(address, context.Connection.LocalPort)));
    }
}
