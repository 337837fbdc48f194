using Microsoft.AspNetCore.Server.Kestrel.Core;
using SafetyCheck.Limits;
using SafetyCheck.Security;
using SafetyCheck.Telemetry;

namespace SafetyCheck.Hosting;

/// <summary>
/// The one place that sets Kestrel's endpoint and HTTPS defaults (each can be set only once: a second call replaces
/// the first): HTTP/2 on every endpoint but the metrics listener's (HTTP/1.1, which scrapers speak), the per-address connection cap ahead of everything else on the connection,
/// limits and timeouts from <c>SafetyCheck:Limits</c>, and client certificates from <c>SafetyCheck:Authentication</c>.
/// </summary>
internal sealed class KestrelSetup(
    IOptions<LimitsOptions> limits,
    IOptions<CredentialsOptions> credentials,
    ConnectionsPerAddressLimiter connections,
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
            listen.Protocols = listen.IPEndPoint is { } endpoint && metrics.Addresses.HasPort(endpoint.Port) ? HttpProtocols.Http1 : HttpProtocols.Http2;
            listen.Use(next => connection => connections.OnConnectionAsync(connection, next));
        });
        options.ConfigureHttpsDefaults(https =>
        {
            KestrelLimits.Apply(https, limitsValue);
            ClientCertificateSetup.Configure(https, certificates);
        });
    }
}
