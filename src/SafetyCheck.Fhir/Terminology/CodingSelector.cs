using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Domain;

namespace SafetyCheck.Fhir.Terminology;

/// <summary>
/// Chooses, among the codings of one <c>Condition.code</c>, the one the check decides by: the most cautious reading,
/// then the most specific. The only place the FHIR mapping asks the catalog anything.
/// </summary>
/// <remarks>
/// <para>Only ICD-10-CM (<see cref="CodeSystems.Icd10Cm"/>) and SNOMED CT (<see cref="CodeSystems.SnomedCt"/>) codings
/// are candidates (their OIDs are read as them by the caller, see <see cref="FhirSystems.Canonical"/>); others are set aside. Among candidates, in order of precedence:</para>
/// <list type="number">
/// <item>first a condition the catalog recognises and that is not known-benign (the rules act on it); then a code the
/// catalog does not recognise; then a known-benign one. A known-benign coding never hides an unrecognised one (fail
/// closed): the catalog leaves serious forms out of benign rows on purpose — the SNOMED CT expansions of known-benign
/// rows omit serious subtypes so that they stay unrecognised and go to clinician review — so a translation to a
/// benign code (malignant hypertension sent with I10 beside it) must not decide;</item>
/// <item>a code the catalog names exactly over one it matches by a pattern (an ICD-10-CM prefix or range) or, once the
/// catalog matches SNOMED CT subtypes, by descent (see <see cref="PrecisionOf"/>);</item>
/// <item>the longer ICD-10-CM code (without the dot) over the shorter;</item>
/// <item>the coding written first.</item>
/// </list>
/// <para>When the chosen coding is not recognised (no candidate is, or the others are known-benign) the check lists it
/// as unrecognised, and an ACTIVE one goes to clinician review. The selector depends on
/// <see cref="ICodeResolver.Resolve"/> and <see cref="CatalogMatch.KnownBenign"/> only.</para>
/// </remarks>
public sealed class CodingSelector(ICodeResolver resolver)
{
    private readonly ICodeResolver resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));

    /// <summary>How cautious a reading a coding gives: a higher value wins (see the class remarks).</summary>
    private enum Caution
    {
        /// <summary>Recognised as known-benign: decides only when nothing else can.</summary>
        KnownBenign = 0,

        /// <summary>Not recognised: the check lists it, and an ACTIVE one goes to clinician review.</summary>
        Unrecognised = 1,

        /// <summary>Recognised as a condition that is not known-benign: the rules act on it.</summary>
        NotBenign = 2,
    }

    /// <summary>How exactly the catalog matched a code: a higher value is more exact.</summary>
    private enum MatchPrecision
    {
        /// <summary>By an ICD-10-CM pattern (prefix or range), or a SNOMED CT subtype.</summary>
        Pattern = 0,

        /// <summary>The catalog names the code itself.</summary>
        Named = 1,
    }

    /// <summary>Chooses among <paramref name="codings"/> (in the order sent).</summary>
    public CodingChoice Choose(IReadOnlyList<CodingCandidate> codings)
    {
        ArgumentNullException.ThrowIfNull(codings);
        var setAside = new List<(CodingCandidate, string)>();
        var ranked = new List<(CodingCandidate Coding, CatalogMatch? Match, (int, int, int, int) Rank)>();
        foreach (var coding in codings)
        {
            if (coding.System is not (CodeSystems.Icd10Cm or CodeSystems.SnomedCt))
            {
                setAside.Add((coding, $"system '{coding.System}' is not used: only ICD-10-CM ({CodeSystems.Icd10Cm}) and SNOMED CT ({CodeSystems.SnomedCt}) codings are checked"));
                continue;
            }

            if (coding.Code.Length == 0)
            {
                setAside.Add((coding, "has no code"));
                continue;
            }

            var match = resolver.Resolve(coding.System, coding.Code);
            ranked.Add((coding, match, RankOf(coding, match)));
        }

        if (ranked.Count == 0)
        {
            return new CodingChoice(null, null, setAside);
        }

        var best = ranked.MaxBy(r => r.Rank);
        foreach (var (coding, match, _) in ranked.Where(r => r.Coding != best.Coding))
        {
            setAside.Add((coding, ReasonSetAside(match, best.Coding, best.Match)));
        }

        setAside.Sort((a, b) => a.Item1.Index.CompareTo(b.Item1.Index));
        var same = ranked
            .Where(r => r.Coding != best.Coding && r.Match is not null && best.Match is not null && r.Match.ConditionId == best.Match.ConditionId)
            .Select(r => r.Coding.Index)
            .ToHashSet();
        return new CodingChoice(best.Coding, best.Match, setAside) { SameAsChosen = same };
    }

    /// <summary>
    /// How exactly the catalog matched. Today's catalog matches SNOMED CT ids exactly and ICD-10-CM codes by pattern,
    /// and <see cref="CatalogMatch"/> does not say which pattern matched; when the catalog reports how it matched
    /// (a SNOMED CT subtype, an ICD-10-CM code it names), this method is the one place to read it.
    /// </summary>
    private static MatchPrecision PrecisionOf(CodingCandidate coding) =>
        coding.System == CodeSystems.SnomedCt ? MatchPrecision.Named : MatchPrecision.Pattern;

    private static (int Caution, int Precision, int Length, int Order) RankOf(CodingCandidate coding, CatalogMatch? match) =>
    (
        (int)CautionOf(match),
        match is null ? 0 : (int)PrecisionOf(coding),
        coding.System == CodeSystems.Icd10Cm ? coding.Code.Count(char.IsAsciiLetterOrDigit) : 0,
        -coding.Index
    );

    private static Caution CautionOf(CatalogMatch? match) => match switch
    {
        null => Caution.Unrecognised,
        { KnownBenign: true } => Caution.KnownBenign,
        _ => Caution.NotBenign,
    };

    private static string ReasonSetAside(CatalogMatch? match, CodingCandidate chosen, CatalogMatch? chosenMatch)
    {
        var other = $"coding[{chosen.Index}] ({chosen.System}|{chosen.Code})";
        if (chosenMatch is null)
        {
            // Only a known-benign coding loses to an unrecognised one; a condition that is not benign would have won.
            return match is null
                ? $"not recognised by the catalog either; {other} is checked (and listed as unrecognised)"
                : $"recognised as '{match.ConditionId}' (known benign); {other} is not recognised by the catalog, and a benign coding never hides one the catalog does not recognise (it may be a serious form the catalog leaves to clinician review): {other} is checked and listed as unrecognised (fail closed)";
        }

        if (match is null)
        {
            return $"not recognised by the catalog; {other} is, as '{chosenMatch.ConditionId}', a condition the rules act on";
        }

        if (match.ConditionId == chosenMatch.ConditionId)
        {
            return $"recognised as '{match.ConditionId}', the same condition as {other}";
        }

        return match.KnownBenign && !chosenMatch.KnownBenign
            ? $"recognised as '{match.ConditionId}' (known benign); {other} names '{chosenMatch.ConditionId}', which is not, and wins (fail closed)"
            : $"recognised as '{match.ConditionId}'; {other} is more specific: '{chosenMatch.ConditionId}'";
    }
}
