using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using SafetyCheck.Core.Domain;

namespace SafetyCheck.Core.Catalog;

/// <summary>
/// The condition catalog (<c>rules/conditions.json</c>): resolves input codes to canonical condition ids.
/// Immutable and safe to share between threads; built by <see cref="CatalogLoader"/>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>ICD-10-CM (<see cref="CodeSystems.Icd10Cm"/>): with or without the dot, any case; the most specific
/// pattern wins, exclusions and ties as described on <see cref="Icd10Pattern"/> and below. A code that is not an
/// ICD-10-CM code shape (wrong length, stray characters or spaces) is unrecognised.</item>
/// <item>SNOMED CT (<see cref="CodeSystems.SnomedCt"/>): the concept id exactly.</item>
/// <item>The catalog's own system (<see cref="CodeSystems.Catalog"/>): a condition id exactly (case-sensitive).</item>
/// </list>
/// <para>
/// When patterns of two conditions match one code equally specifically, a condition that is not known-benign
/// wins over a known-benign one (fail closed), then the ordinal-smaller id; the loader refuses the same pattern
/// in two conditions, so this only arises for different patterns (e.g. two overlapping ranges).
/// </para>
/// </remarks>
public sealed class ConditionCatalog : ICodeResolver
{
    private readonly FrozenDictionary<string, CatalogCondition> byId;
    private readonly FrozenDictionary<string, CatalogCondition> bySnomed;
    private readonly Icd10Index icd10;

    /// <summary>Builds the indexes; <paramref name="conditions"/> must have unique ids and SNOMED CT ids (the loader checks).</summary>
    internal ConditionCatalog(IEnumerable<CatalogCondition> conditions)
    {
        Conditions = conditions.ToArray().AsReadOnly();
        byId = Conditions.ToFrozenDictionary(c => c.Id, StringComparer.Ordinal);
        bySnomed = Conditions
            .SelectMany(c => c.Snomed, (condition, id) => KeyValuePair.Create(id, condition))
            .ToFrozenDictionary(StringComparer.Ordinal);
        icd10 = new Icd10Index(Conditions);
    }

    /// <summary>Every condition, in file order.</summary>
    public IReadOnlyList<CatalogCondition> Conditions { get; }

    /// <summary>
    /// Resolves a code; null when the catalog does not recognise it, and also for a system other than the three
    /// supported ones (request validation rejects those before this is asked).
    /// </summary>
    public CatalogMatch? Resolve(string system, string code)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(code);
        return system switch
        {
            CodeSystems.Icd10Cm => icd10.Resolve(code),
            CodeSystems.SnomedCt => bySnomed.TryGetValue(code, out CatalogCondition? bySnomedId) ? bySnomedId.Match : null,
            CodeSystems.Catalog => byId.TryGetValue(code, out CatalogCondition? byConditionId) ? byConditionId.Match : null,
            _ => null,
        };
    }

    /// <summary>True when <paramref name="conditionId"/> is a canonical id of this catalog (exact, case-sensitive).</summary>
    public bool Contains(string conditionId)
    {
        ArgumentNullException.ThrowIfNull(conditionId);
        return byId.ContainsKey(conditionId);
    }

    /// <summary>The condition with id <paramref name="conditionId"/> (exact, case-sensitive).</summary>
    public bool TryGet(string conditionId, [NotNullWhen(true)] out CatalogCondition? condition)
    {
        ArgumentNullException.ThrowIfNull(conditionId);
        return byId.TryGetValue(conditionId, out condition);
    }
}
