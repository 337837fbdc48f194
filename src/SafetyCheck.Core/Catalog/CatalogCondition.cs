namespace SafetyCheck.Core.Catalog;

/// <summary>One condition of the catalog (<c>rules/conditions.json</c>): a canonical id and the codes that map to it.</summary>
/// <remarks>
/// A condition may have no codes at all: it is still reachable through the catalog's own code system
/// (<see cref="Domain.CodeSystems.Catalog"/>) by its id.
/// </remarks>
public sealed class CatalogCondition
{
    internal CatalogCondition(
        string id,
        string display,
        bool knownBenign,
        IReadOnlyList<Icd10Pattern> icd10,
        IReadOnlyList<Icd10Pattern> icd10Exclude,
        IReadOnlyList<string> snomed)
    {
        Id = id;
        Display = display;
        KnownBenign = knownBenign;
        Icd10 = icd10.ToArray().AsReadOnly();
        Icd10Exclude = icd10Exclude.ToArray().AsReadOnly();
        Snomed = snomed.ToArray().AsReadOnly();
        // A condition whose every ICD-10-CM code names the same completed weeks (one row per week of prematurity)
        // carries them in every other code system too: its catalog id and its SNOMED CT codes give the same GA.
        Match = new CatalogMatch(id, knownBenign, icd10.Select(p => p.GestationalWeeks).Distinct().ToArray() is [int weeks] ? weeks : null);
    }

    /// <summary>Canonical id, lower-case kebab-case (<c>acute-infection</c>); what rules and responses use.</summary>
    public string Id { get; }

    /// <summary>Human-readable name.</summary>
    public string Display { get; }

    /// <summary>Recognised, and no rule concerns it (teething, a healed fracture): it never forces review.</summary>
    public bool KnownBenign { get; }

    /// <summary>ICD-10-CM patterns that map to this condition, in file order.</summary>
    public IReadOnlyList<Icd10Pattern> Icd10 { get; }

    /// <summary>ICD-10-CM patterns this condition must not match, even when one of <see cref="Icd10"/> does.</summary>
    public IReadOnlyList<Icd10Pattern> Icd10Exclude { get; }

    /// <summary>SNOMED CT concept ids (digit strings) that map to this condition, matched exactly.</summary>
    public IReadOnlyList<string> Snomed { get; }

    /// <summary>
    /// Ids of the conditions this one overrides on purpose: where its ICD-10-CM patterns are more specific than
    /// theirs, or its SNOMED CT expansion covers a subtype as specifically as theirs, the code is this condition's,
    /// and <c>check</c> does not warn that it was taken from them (asthma exacerbation overrides asthma).
    /// </summary>
    public IReadOnlyList<string> Overrides { get; internal init; } = [];

    /// <summary>Where each <see cref="Overrides"/> entry is written (1-based line and column), for warnings.</summary>
    internal IReadOnlyDictionary<string, (int Line, int Column)> OverridePositions { get; init; } = new Dictionary<string, (int, int)>();

    /// <summary>
    /// The narrow <c>overrides</c> entries (<c>{ "condition": "acute-infection", "snomed": ["45261009"] }</c>): other
    /// condition id → the SNOMED CT ids of <see cref="Snomed"/> that this condition takes from that condition's
    /// expansions on purpose by naming them exactly, each with where it is written in the entry (1-based line and
    /// column). Such an entry acknowledges those ids only: unlike <see cref="Overrides"/> it decides no SNOMED CT tie
    /// and acknowledges no ICD-10-CM overlap, so it may name a condition that overrides this one.
    /// </summary>
    internal IReadOnlyDictionary<string, IReadOnlyDictionary<string, (int Line, int Column)>> SnomedOverrides { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, (int, int)>>();

    /// <summary>Where each <see cref="Snomed"/> id is written (1-based line and column), for warnings; empty when not read from a file.</summary>
    internal IReadOnlyDictionary<string, (int Line, int Column)> SnomedPositions { get; init; } = new Dictionary<string, (int, int)>();

    /// <summary>The match for a code that carries no gestational weeks.</summary>
    internal CatalogMatch Match { get; }

    /// <summary>The id.</summary>
    public override string ToString() => Id;
}
