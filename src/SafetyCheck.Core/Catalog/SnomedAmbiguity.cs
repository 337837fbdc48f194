using SafetyCheck.Core.Terminology;

namespace SafetyCheck.Core.Catalog;

/// <summary>
/// A SNOMED CT descendant that the expansions of several rows' concepts cover with none more specific than the
/// others, so that precedence fell back to failing closed (see <see cref="ConditionCatalog"/>).
/// </summary>
/// <param name="Code">The descendant's concept id.</param>
/// <param name="Display">Its display in the first expansion that lists it.</param>
/// <param name="Winner">The condition the code resolves to.</param>
/// <param name="Candidates">Every (expansion, condition) that covers it with no more specific one, ordinal by file.</param>
public sealed record SnomedAmbiguity(
    string Code,
    string Display,
    CatalogCondition Winner,
    IReadOnlyList<(SnomedExpansion Expansion, CatalogCondition Condition)> Candidates);
