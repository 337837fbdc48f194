namespace SafetyCheck.Core.Terminology;

/// <summary>Where the codes of a SNOMED CT expansion came from: a public expansion, a free set, or a terminology server.</summary>
/// <param name="Id">Short id the descendants refer to, unique in its file (<c>ips-free-set</c>, <c>server</c>).</param>
/// <param name="Title">What the source is, in words (a value set's title and id, a server's <c>$expand</c> call).</param>
/// <param name="Url">Where it can be found (the value set's canonical URL, the <c>$expand</c> request); null when none.</param>
/// <param name="Version">The SNOMED CT edition and version the source used, e.g. <c>http://snomed.info/sct/900000000000207008/version/20250101</c>.</param>
/// <param name="Date">The date the source was expanded or published.</param>
public sealed record ExpansionSource(string Id, string Title, string? Url, string Version, DateOnly Date);
