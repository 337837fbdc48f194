namespace SafetyCheck.CdsHooks;

/// <summary>A call refused with HTTP 429 by a limit of the listener (<see cref="CdsCallLimiter"/>).</summary>
/// <param name="Error">The body's <c>error</c>: <c>rate_limited</c> (the issuer's calls per second) or <c>busy</c> (its calls in progress).</param>
/// <param name="Reason">The body's <c>reason</c>: the limit, for the EHR's integrator.</param>
/// <param name="RetryAfterSeconds">The <c>Retry-After</c> header, in whole seconds; at least 1.</param>
internal sealed record CdsRefusal(string Error, string Reason, int RetryAfterSeconds);
