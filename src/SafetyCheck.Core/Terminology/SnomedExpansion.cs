namespace SafetyCheck.Core.Terminology;

/// <summary>
/// A frozen expansion of one SNOMED CT concept a catalog row names: the descendants (subtypes) that row covers,
/// each with the source it came from. One file per concept, <c>terminology/snomed/&lt;concept&gt;.json</c>.
/// </summary>
/// <param name="File">Path relative to the rule directory.</param>
/// <param name="Concept">The expanded concept's id.</param>
/// <param name="Display">The concept's preferred term.</param>
/// <param name="Note">Free text on how the list was made; empty when none.</param>
/// <param name="Sources">Where the descendants came from, at least one.</param>
/// <param name="Descendants">The descendants, never the concept itself; may be empty (a concept without subtypes).</param>
public sealed record SnomedExpansion(
    string File,
    string Concept,
    string Display,
    string Note,
    IReadOnlyList<ExpansionSource> Sources,
    IReadOnlyList<SnomedDescendant> Descendants)
{
    /// <summary>1-based line of <c>concept</c> in the file; 0 when not read from a file.</summary>
    public int Line { get; init; }

    /// <summary>1-based column of <c>concept</c> in the file; 0 when not read from a file.</summary>
    public int Column { get; init; }
}
