using System.Diagnostics.CodeAnalysis;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Catalog;

/// <summary>The outcome of loading <c>conditions.json</c>: a catalog, or every problem found.</summary>
/// <param name="Catalog">The catalog; null when there is any diagnostic.</param>
/// <param name="Diagnostics">Every problem, ordered by line and column; empty on success.</param>
public sealed record CatalogLoadResult(ConditionCatalog? Catalog, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when the catalog loaded without any diagnostic.</summary>
    [MemberNotNullWhen(true, nameof(Catalog))]
    public bool Succeeded => Catalog is not null;
}
