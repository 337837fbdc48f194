namespace SafetyCheck.Core.Terminology;

/// <summary>One SNOMED CT concept an expansion says is a subtype (descendant) of its concept.</summary>
/// <param name="Code">The descendant's concept id.</param>
/// <param name="Display">Its preferred term, as the source gave it.</param>
/// <param name="Source">The <see cref="ExpansionSource.Id"/> it came from.</param>
public sealed record SnomedDescendant(string Code, string Display, string Source)
{
    /// <summary>1-based line of the descendant's <c>code</c> in its file; 0 when not read from a file.</summary>
    public int Line { get; init; }

    /// <summary>1-based column of the descendant's <c>code</c> in its file; 0 when not read from a file.</summary>
    public int Column { get; init; }
}
