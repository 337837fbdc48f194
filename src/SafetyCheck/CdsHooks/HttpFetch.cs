namespace SafetyCheck.CdsHooks;

/// <summary>What a GET to an EHR's server came to: the body, or why there is none.</summary>
/// <param name="Body">The response body (UTF-8 text); null on failure.</param>
/// <param name="Failure">Why nothing usable came back (names the server, never the patient); null on success.</param>
/// <param name="Status">The HTTP status; 0 when no response came.</param>
internal sealed record HttpFetch(string? Body, string? Failure, int Status);
