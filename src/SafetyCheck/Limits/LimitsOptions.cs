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

    /// <summary>Open connections the server accepts (Kestrel <c>MaxConcurrentConnections</c>). Default 512; 0: unlimited.</summary>
    public int MaxConcurrentConnections { get; set; } = 512;

    /// <summary>Concurrent HTTP/2 streams (calls) on one connection (Kestrel <c>Http2.MaxStreamsPerConnection</c>). Default 100.</summary>
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>
    /// On SIGTERM or Ctrl+C, how long in-flight calls may take to finish before they are aborted, in seconds; new
    /// calls are refused from the signal on. Default 30.
    /// </summary>
    public int ShutdownTimeoutSeconds { get; set; } = 30;
}
