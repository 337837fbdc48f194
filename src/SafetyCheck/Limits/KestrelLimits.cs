using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace SafetyCheck.Limits;

/// <summary>Kestrel's side of <see cref="LimitsOptions"/>: connection counts, streams, timeouts and keep-alive pings.</summary>
internal static class KestrelLimits
{
    public static void Apply(KestrelServerLimits kestrel, LimitsOptions limits)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(limits);
        kestrel.MaxConcurrentConnections = limits.MaxConcurrentConnections == 0 ? null : limits.MaxConcurrentConnections;
        kestrel.Http2.MaxStreamsPerConnection = limits.MaxStreamsPerConnection;
        kestrel.KeepAliveTimeout = TimeSpan.FromSeconds(limits.IdleTimeoutSeconds);
        kestrel.RequestHeadersTimeout = TimeSpan.FromSeconds(limits.RequestHeadersTimeoutSeconds);

        // TimeSpan.MaxValue is Kestrel's "never ping".
        kestrel.Http2.KeepAlivePingDelay = limits.KeepAlivePingDelaySeconds == 0 ? TimeSpan.MaxValue : TimeSpan.FromSeconds(limits.KeepAlivePingDelaySeconds);
        kestrel.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(limits.KeepAlivePingTimeoutSeconds);
    }

    /// <summary>The TLS handshake's time limit, for every HTTPS endpoint.</summary>
    public static void Apply(HttpsConnectionAdapterOptions https, LimitsOptions limits)
    {
        ArgumentNullException.ThrowIfNull(https);
        ArgumentNullException.ThrowIfNull(limits);
        https.HandshakeTimeout = TimeSpan.FromSeconds(limits.HandshakeTimeoutSeconds);
    }
}
