using SafetyCheck.Core.Catalog;

namespace SafetyCheck.Fhir.Terminology;

/// <summary>The coding a condition is checked by, and every other coding with the reason it was set aside.</summary>
/// <param name="Chosen">The coding sent to the check; null when no coding is in ICD-10-CM or SNOMED CT.</param>
/// <param name="Match">What the catalog recognised the chosen coding as; null when it did not (the check then lists it as unrecognised).</param>
/// <param name="SetAside">The other codings, each with why it was not chosen.</param>
public sealed record CodingChoice(CodingCandidate? Chosen, CatalogMatch? Match, IReadOnlyList<(CodingCandidate Coding, string Reason)> SetAside)
{
    /// <summary>
    /// The indexes of the codings in <see cref="SetAside"/> that the catalog recognises as the very condition the chosen
    /// coding is (the same condition in the other code system): nothing of them was lost.
    /// </summary>
    public IReadOnlySet<int> SameAsChosen { get; init; } = new HashSet<int>();
}
