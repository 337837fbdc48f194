namespace SafetyCheck.CdsHooks;

/// <summary>
/// One EHR allowed to call the service: the <c>iss</c> its tokens carry and where its public keys are. Tokens are
/// verified with the keys of their own issuer only.
/// </summary>
internal sealed class CdsIssuerOptions
{
    /// <summary>The exact <c>iss</c> (e.g. <c>https://fhir-ehr.example.com/</c>). Required. Recorded as the caller of each decision.</summary>
    public string? Issuer { get; set; }

    /// <summary>
    /// The issuer's JWK Set URL (https). A token's <c>jku</c> header, when present, must be this URL: no other URL is
    /// ever fetched. One of this or <see cref="Jwks"/>.
    /// </summary>
    public string? JwksUrl { get; set; }

    /// <summary>The issuer's JWK Set given inline (JSON <c>{"keys":[…]}</c>, public keys only). One of this or <see cref="JwksUrl"/>.</summary>
    public string? Jwks { get; set; }

    /// <summary>
    /// The signing algorithms this issuer's tokens may use (e.g. <c>ES384</c>), each one of
    /// <see cref="CdsTokenVerifier.Algorithms"/>. Default: none listed, any of those.
    /// </summary>
    public List<string> Algorithms { get; } = [];

    /// <summary>
    /// FHIR server base URLs the service may query with this issuer's <c>fhirAuthorization</c> (a request naming another
    /// <c>fhirServer</c> is not fetched from: the check is not made, 412). Default: none, so the service fetches nothing
    /// for this issuer and uses its prefetch only: a <c>fhirServer</c> the token's issuer does not own is never called
    /// with its data or token.
    /// </summary>
    public List<string> FhirServers { get; } = [];
}
