using Microsoft.AspNetCore.Server.Kestrel.Core;
using SafetyCheck.AuditPage;
using SafetyCheck.CdsHooks;
using SafetyCheck.Limits;
using SafetyCheck.Security;
using SafetyCheck.Telemetry;

namespace SafetyCheck.Hosting;

/// <summary>
/// The one place that sets Kestrel's endpoint and HTTPS defaults (each can be set only once: a second call replaces
/// the first): HTTP/2 on every endpoint but the auditor's page and the CDS Hooks service (HTTP/1.1 in cleartext,
/// HTTP/2 or HTTP/1.1 by ALPN over TLS: browsers and EHRs speak no cleartext HTTP/2) and the metrics listener
/// (HTTP/1.1, which scrapers speak), the per-address connection cap ahead of everything else on the connection,
/// limits and timeouts from <c>SafetyCheck:Limits</c>, and client certificates from <c>SafetyCheck:Authentication</c>.
/// </summary>
internal sealed class KestrelSetup(
    IOptions<LimitsOptions> limits,
    IOptions<CredentialsOptions> credentials,
    ConnectionsPerAddressLimiter connections,
    AuditPageListener page,
    CdsHooksListener cdsHooks,
    MetricsListener metrics) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limitsValue = limits.Value;
        var certificates = credentials.Value.ClientCertificates;
        KestrelLimits.Apply(options.Limits, limitsValue);
        options.ConfigureEndpointDefaults(listen =>
        {
            // Cleartext HTTP/2 only: with Http1AndHttp2 and no TLS, Kestrel would speak HTTP/1.1 and gRPC would fail.
            // The page's and the CDS Hooks service's listeners serve browsers and EHRs: HTTP/1.1 in cleartext, HTTP/2
            // or HTTP/1.1 by ALPN over TLS; the metrics listener HTTP/1.1.
            listen.Protocols = page.ProtocolsFor(listen.EndPoint)
                ?? cdsHooks.ProtocolsFor(listen.EndPoint)
                ?? (listen.IPEndPoint is { } endpoint && metrics.Addresses.HasPort(endpoint.Port) ? HttpProtocols.Http1 : HttpProtocols.Http2);
            listen.Use(next => connection => connections.OnConnectionAsync(connection, next));
        });
        options.ConfigureHttpsDefaults(https =>
        {
            KestrelLimits.Apply(https, limitsValue);
            ClientCertificateSetup.Configure(https, certificates);
        });
    }
}
