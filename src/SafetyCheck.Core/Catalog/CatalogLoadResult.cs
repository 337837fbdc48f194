using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Catalog;

/// <summary>Placeholder until the catalog loader lands.</summary>
public sealed record CatalogLoadResult(ConditionCatalog? Catalog, IReadOnlyList<Diagnostic> Diagnostics);
