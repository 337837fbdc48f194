namespace SafetyCheck.Limits;

/// <summary>
/// Bounds on what callers can make the service do, from the <c>SafetyCheck:Limits</c> configuration section. Whatever
/// a caller sends, going past one of these answers RESOURCE_EXHAUSTED; it never slows the service for everyone else.
/// The request's own content limits (100 conditions, string lengths, ranges) are the contract's and fixed: they answer
/// INVALID_ARGUMENT (see <c>RequestValidator</c>).
/// </summary>
internal sealed class LimitsOptions
{
    public const string Section = "SafetyCheck:Limits";

    /// <summary>
    /// Largest request message accepted, in bytes; a larger one is refused with RESOURCE_EXHAUSTED from its frame
    /// header, before it is buffered or decoded. Default 262144 (256 KiB): the largest valid CheckRequest (100
    /// conditions, every string at its maximum length, in 3-byte UTF-8 characters) is about 88 KiB.
    /// </summary>
    public int MaxReceiveMessageSize { get; set; } = 256 * 1024;

    /// <summary>
    /// Calls handled at the same time, over every gRPC service except the open ones (health, reflection). Default 64. A call beyond it waits in a
    /// queue of <see cref="MaxQueuedCalls"/>, oldest first, until a slot frees or its deadline passes.
    /// </summary>
    public int MaxConcurrentCalls { get; set; } = 64;

    /// <summary>Calls that may wait for a slot; when the queue is full too, a call gets RESOURCE_EXHAUSTED. Default 256; 0: no queue.</summary>
    public int MaxQueuedCalls { get; set; } = 256;

    /// <summary>
    /// Calls per second one caller may make: an authenticated caller by its name, an unauthenticated one by its
    /// remote address. A token bucket refilled every second; beyond it, RESOURCE_EXHAUSTED. Default 1000; 0: no rate limit.
    /// Health checks are never limited.
    /// </summary>
    public int CallsPerSecondPerCaller { get; set; } = 1000;

    /// <summary>
    /// The most calls one caller may make in a burst: the bucket's size, refilled by <see cref="CallsPerSecondPerCaller"/>
    /// every second. Default 2000; at least the per-second rate.
    /// </summary>
    public int CallBurstPerCaller { get; set; } = 2000;

    /// <summary>
    /// Open connections each listener accepts (Kestrel <c>MaxConcurrentConnections</c>, counted per endpoint, so the
    /// health listener of <see cref="HealthUrls"/> has its own). Default 512; 0: unlimited.
    /// </summary>
    public int MaxConcurrentConnections { get; set; } = 512;

    /// <summary>
    /// Open connections one remote address may hold on a listener; a connection beyond it is closed as soon as it is
    /// accepted, before TLS or HTTP/2, so one client cannot take every slot of <see cref="MaxConcurrentConnections"/>
    /// with idle sockets. IPv4 addresses count one by one, IPv6 addresses by their /64 prefix (what one host usually
    /// holds); Unix sockets are not counted. Connections to the health listener are counted apart from the others.
    /// Default 64; 0: no cap (behind a proxy or load balancer that sends every call from its own address, raise it or
    /// set 0 and cap there).
    /// </summary>
    public int MaxConnectionsPerAddress { get; set; } = 64;

    /// <summary>
    /// How long a connection may stay open with no call in progress, in seconds (Kestrel <c>KeepAliveTimeout</c>); it
    /// is also how long a new cleartext connection may take to send the HTTP/2 preface. Default 60; at least 1.
    /// </summary>
    public int IdleTimeoutSeconds { get; set; } = 60;

    /// <summary>
    /// How long a call's request headers may take to arrive once they have begun, in seconds (Kestrel
    /// <c>RequestHeadersTimeout</c>). Default 10; at least 1.
    /// </summary>
    public int RequestHeadersTimeoutSeconds { get; set; } = 10;

    /// <summary>How long a TLS handshake may take, in seconds (Kestrel <c>HandshakeTimeout</c>, TLS endpoints only). Default 10; at least 1.</summary>
    public int HandshakeTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// After this many seconds without a frame from the client, the server sends an HTTP/2 PING (Kestrel
    /// <c>Http2.KeepAlivePingDelay</c>). Default 30; 0: no pings.
    /// </summary>
    public int KeepAlivePingDelaySeconds { get; set; } = 30;

    /// <summary>
    /// How long the client has to answer a keep-alive PING, in seconds, before the connection is closed (Kestrel
    /// <c>Http2.KeepAlivePingTimeout</c>). Default 20; at least 1.
    /// </summary>
    public int KeepAlivePingTimeoutSeconds { get; set; } = 20;

    /// <summary>
    /// Extra listen addresses (<c>;</c>-separated, <c>http://HOST:PORT</c> with an explicit port) that serve
    /// <c>grpc.health.v1.Health</c> and nothing else: a load balancer's probe reaches them when every connection slot
    /// of the main addresses is taken. Cleartext HTTP/2, no credentials (health is open and tells only SERVING or
    /// NOT_SERVING); any other call there is answered UNIMPLEMENTED. Default empty: health is served on the main
    /// addresses only.
    /// </summary>
    public string HealthUrls { get; set; } = "";

    /// <summary>Concurrent HTTP/2 streams (calls) on one connection (Kestrel <c>Http2.MaxStreamsPerConnection</c>). Default 100.</summary>
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>
    /// On SIGTERM or Ctrl+C, how long in-flight calls may take to finish before they are aborted, in seconds; new
    /// calls are refused from the signal on. Default 30.
    /// </summary>
    public int ShutdownTimeoutSeconds { get; set; } = 30;
}
