namespace SafetyCheck.CdsHooks;

/// <summary>An EHR whose token verified: its issuer (the caller recorded with each decision) and the issuer's settings.</summary>
/// <param name="Issuer">The token's <c>iss</c>, exactly as allow-listed.</param>
/// <param name="Settings">The allow-list entry it matched.</param>
internal sealed record CdsClient(string Issuer, CdsIssuerOptions Settings);
