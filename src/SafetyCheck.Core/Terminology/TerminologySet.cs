namespace SafetyCheck.Core.Terminology;

/// <summary>
/// The terminology a rule set ships under <c>terminology/</c>: the ICD-10-CM code table (which codes exist) and the
/// frozen SNOMED CT expansions (which subtypes a row's concept covers). Immutable.
/// </summary>
public sealed class TerminologySet
{
    internal TerminologySet(Icd10CmCodeTable? icd10Cm, IReadOnlyList<SnomedExpansion> snomedExpansions)
    {
        Icd10Cm = icd10Cm;
        SnomedExpansions = snomedExpansions;
    }

    /// <summary>No code table and no expansion: every ICD-10-CM code shape is looked up, SNOMED CT ids match exactly.</summary>
    public static TerminologySet Empty { get; } = new(null, []);

    /// <summary>The code table; null when the rule set ships none (then codes are not checked for existence).</summary>
    public Icd10CmCodeTable? Icd10Cm { get; }

    /// <summary>The expansions, ordinal by file path.</summary>
    public IReadOnlyList<SnomedExpansion> SnomedExpansions { get; }
}
