using SafetyCheck.Core.Terminology;

namespace SafetyCheck.Core.Catalog;

/// <summary>
/// A SNOMED CT id one row names exactly that the expansions of another row's concepts list as a subtype: the naming
/// row takes it (an exactly named id always wins, see <see cref="ConditionCatalog"/>), and <c>check</c> warns unless
/// the naming row acknowledges it in its <c>overrides</c>.
/// </summary>
/// <param name="Code">The id.</param>
/// <param name="Display">Its display in the first of <paramref name="Expansions"/>.</param>
/// <param name="Taker">The condition that names it exactly, and so takes it.</param>
/// <param name="From">The condition whose expansions list it.</param>
/// <param name="Expansions">The expansions of <paramref name="From"/>'s concepts that list it, in file order.</param>
public sealed record SnomedCapture(
    string Code,
    string Display,
    CatalogCondition Taker,
    CatalogCondition From,
    IReadOnlyList<SnomedExpansion> Expansions);
