namespace SafetyCheck.Terminology;

/// <summary>What a terminology server's <c>$expand</c> of <c>&lt;&lt;concept</c> returned, all pages together.</summary>
/// <param name="Concept">The expanded concept.</param>
/// <param name="Display">The concept's own display, when the server listed it (<c>&lt;&lt;</c> includes it); else empty.</param>
/// <param name="RequestUrl">The <c>$expand</c> request without its paging parameters.</param>
/// <param name="Version">The SNOMED CT edition and version the server used; empty when it did not say.</param>
/// <param name="Codes">The active codes with their display, the concept itself left out, in the server's order.</param>
internal sealed record ServerExpansion(string Concept, string Display, string RequestUrl, string Version, IReadOnlyList<(string Code, string Display)> Codes);
