using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Terminology;

namespace SafetyCheck.Core.Catalog;

/// <summary>
/// The condition catalog (<c>rules/conditions.json</c>) with the terminology it relies on (<c>rules/terminology/</c>):
/// resolves input codes to canonical condition ids. Immutable and safe to share between threads; built by
/// <see cref="CatalogLoader"/> and <see cref="Rules.RuleSetLoader"/>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>ICD-10-CM (<see cref="CodeSystems.Icd10Cm"/>): with or without the dot, any case; a code the ICD-10-CM code
/// table does not hold is unrecognised whatever its prefix (when the rule set ships a table); otherwise the most
/// specific pattern wins, exclusions and ties as described on <see cref="Icd10Pattern"/> and below. A code that is
/// not an ICD-10-CM code shape (wrong length, stray characters or spaces) is unrecognised.</item>
/// <item>SNOMED CT (<see cref="CodeSystems.SnomedCt"/>): the concept id a row names exactly; otherwise a descendant a
/// row's concept covers according to its frozen expansion, precedence as described on
/// <see cref="SnomedDescendantIndex"/> (the exactly named id always wins; then the more specific concept; a tie
/// goes to a row that overrides the others, else fails closed: not known-benign first, then the row whose rules can
/// give the more restrictive outcome).</item>
/// <item>The catalog's own system (<see cref="CodeSystems.Catalog"/>): a condition id exactly (case-sensitive).</item>
/// </list>
/// <para>
/// When ICD-10-CM patterns of two conditions match one code equally specifically, a condition that is not
/// known-benign wins over a known-benign one (fail closed), then the ordinal-smaller id; the loader refuses the same
/// pattern in two conditions, so this only arises for different patterns (e.g. two overlapping ranges).
/// </para>
/// </remarks>
public sealed class ConditionCatalog : ICodeResolver
{
    /// <summary>Why a code in the catalog's own system, or a well-formed code no row covers, is unrecognised.</summary>
    public const string NotInCatalog = "not in the catalog";

    /// <summary>Why a SNOMED CT code that is not a well-formed concept id is unrecognised.</summary>
    public const string NotASnomedCtId = "not a valid SNOMED CT id";

    private readonly FrozenDictionary<string, CatalogCondition> byId;
    private readonly FrozenDictionary<string, CatalogCondition> bySnomed;
    private readonly SnomedDescendantIndex descendants;
    private readonly Icd10Index icd10;
    private readonly string notAnIcd10CmCode;

    /// <summary>
    /// Builds the indexes; <paramref name="conditions"/> must have unique ids and SNOMED CT ids (the loader checks).
    /// </summary>
    internal ConditionCatalog(
        IEnumerable<CatalogCondition> conditions,
        TerminologySet? terminology = null,
        IReadOnlyDictionary<string, Suitability>? restrictiveness = null)
    {
        Conditions = conditions.ToArray().AsReadOnly();
        Terminology = terminology ?? TerminologySet.Empty;
        Restrictiveness = restrictiveness ?? new Dictionary<string, Suitability>();
        byId = Conditions.ToFrozenDictionary(c => c.Id, StringComparer.Ordinal);
        bySnomed = Conditions
            .SelectMany(c => c.Snomed, (condition, id) => KeyValuePair.Create(id, condition))
            .ToFrozenDictionary(StringComparer.Ordinal);
        descendants = new SnomedDescendantIndex(bySnomed, Terminology.SnomedExpansions, Restrictiveness);
        icd10 = new Icd10Index(Conditions, Terminology.Icd10Cm);
        notAnIcd10CmCode = Terminology.Icd10Cm is { } table ? $"not an ICD-10-CM {table.Edition} code" : "not an ICD-10-CM code";
    }

    /// <summary>Every condition, in file order.</summary>
    public IReadOnlyList<CatalogCondition> Conditions { get; }

    /// <summary>The code table and expansions the catalog resolves with; empty when the rule set ships none.</summary>
    public TerminologySet Terminology { get; }

    /// <summary>SNOMED CT descendants covered by several rows' concepts equally (resolved failing closed).</summary>
    public IReadOnlyList<SnomedAmbiguity> SnomedAmbiguities => descendants.Ambiguities;

    /// <summary>SNOMED CT ids a row names exactly that another row's expansions list: the naming row takes them from it.</summary>
    public IReadOnlyList<SnomedCapture> SnomedCaptures => descendants.Captures;

    /// <summary>Expansions of concepts no row names; they resolve nothing.</summary>
    public IReadOnlyList<SnomedExpansion> UnusedExpansions => descendants.Unused;

    /// <summary>(overriding, overridden) condition ids whose override decided a SNOMED CT tie.</summary>
    internal IReadOnlySet<(string Overriding, string Overridden)> SnomedOverridesUsed => descendants.UsedOverrides;

    /// <summary>How many SNOMED CT descendants the expansions add to the ids the rows name.</summary>
    public int SnomedDescendantCount => descendants.Matches.Count;

    /// <summary>The ICD-10-CM index, for the catalog review.</summary>
    internal Icd10Index Icd10 => icd10;

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
            CodeSystems.SnomedCt => bySnomed.TryGetValue(code, out CatalogCondition? bySnomedId)
                ? bySnomedId.Match
                : descendants.Matches.GetValueOrDefault(code),
            CodeSystems.Catalog => byId.TryGetValue(code, out CatalogCondition? byConditionId) ? byConditionId.Match : null,
            _ => null,
        };
    }

    /// <summary>
    /// Why a code that <see cref="Resolve"/> does not recognise is unrecognised: <c>not an ICD-10-CM FY2026 code</c>
    /// (not in the code table, or not a code shape), <c>not a valid SNOMED CT id</c> (check digit or partition), or
    /// <c>not in the catalog</c> (a real code no row covers).
    /// </summary>
    public string WhyUnrecognized(string system, string code)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(code);
        switch (system)
        {
            case CodeSystems.Icd10Cm:
                Span<char> buffer = stackalloc char[Icd10Syntax.MaxLength];
                var table = Terminology.Icd10Cm;
                bool exists = Icd10Syntax.TryNormalizeCode(code, buffer, out int length) && (table is null || table.Contains(buffer[..length]));
                return exists ? NotInCatalog : notAnIcd10CmCode;
            case CodeSystems.SnomedCt:
                return SnomedCtId.IsValidConceptId(code) ? NotInCatalog : NotASnomedCtId;
            default:
                return NotInCatalog;
        }
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

    /// <summary>Condition id → the most restrictive outcome its rules can give (orders SNOMED CT ties); empty before rules are known.</summary>
    internal IReadOnlyDictionary<string, Suitability> Restrictiveness { get; }

    /// <summary>This catalog's conditions with <paramref name="terminology"/> to resolve with.</summary>
    internal ConditionCatalog WithTerminology(TerminologySet terminology) => new(Conditions, terminology, Restrictiveness);

    /// <summary>This catalog with the outcomes the rules give each condition, so that SNOMED CT ties go to the more restrictive row.</summary>
    internal ConditionCatalog WithRuleOutcomes(IReadOnlyDictionary<string, Suitability> restrictiveness) => new(Conditions, Terminology, restrictiveness);
}
