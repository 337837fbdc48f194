using SafetyCheck.Core.Terminology;

namespace SafetyCheck.Core.Catalog;

/// <summary>
/// Resolves ICD-10-CM codes against every condition's patterns, precomputed by first letter so that a lookup
/// only scans the patterns that can match and allocates nothing.
/// </summary>
/// <remarks>
/// The most specific matching pattern wins (<see cref="Icd10Pattern.ScoreFor"/>). A condition whose
/// <see cref="CatalogCondition.Icd10Exclude"/> matches the code is out of consideration for that code, so the code
/// falls to a less specific condition or stays unrecognised. Equal specificity across conditions — possible only
/// for different patterns, since the loader refuses the same pattern in two conditions — is broken
/// deterministically: a condition that is not known-benign wins over a known-benign one (fail closed), then the
/// ordinal-smaller id. Within one condition the pattern written first wins, which only matters for the
/// gestational weeks it carries.
/// </remarks>
internal sealed class Icd10Index
{
    private const int Letters = 'Z' - 'A' + 1;

    private readonly Entry[][] buckets;
    private readonly Icd10CmCodeTable? table;

    /// <param name="conditions">The catalog's conditions.</param>
    /// <param name="table">The codes that exist; null to match every code shape.</param>
    public Icd10Index(IEnumerable<CatalogCondition> conditions, Icd10CmCodeTable? table)
    {
        this.table = table;
        var lists = new List<Entry>[Letters];
        for (int i = 0; i < Letters; i++)
        {
            lists[i] = [];
        }

        foreach (CatalogCondition condition in conditions)
        {
            foreach (Icd10Pattern pattern in condition.Icd10)
            {
                var entry = new Entry(pattern, condition);
                char last = pattern.RangeEnd?[0] ?? pattern.Code[0];
                for (char letter = pattern.Code[0]; letter <= last; letter++)
                {
                    lists[letter - 'A'].Add(entry);
                }
            }
        }

        buckets = Array.ConvertAll(lists, list => list.ToArray());
    }

    /// <summary>
    /// The match for <paramref name="code"/> (with or without the dot, any case); null when unrecognised, which
    /// includes a code the code table does not hold, whatever prefix it starts with.
    /// </summary>
    public CatalogMatch? Resolve(string code)
    {
        Span<char> buffer = stackalloc char[Icd10Syntax.MaxLength];
        if (!Icd10Syntax.TryNormalizeCode(code, buffer, out int length))
        {
            return null;
        }

        ReadOnlySpan<char> normalized = buffer[..length];
        return table is null || table.Contains(normalized) ? Match(normalized)?.Match : null;
    }

    /// <summary>
    /// The winning entry for a normalised code, and every other condition's best matching entry when
    /// <paramref name="others"/> is given (how the catalog review finds codes one row takes from another).
    /// </summary>
    internal Entry? Match(ReadOnlySpan<char> normalized, List<Entry>? others = null)
    {
        int length = normalized.Length;
        Entry? best = null;
        int bestScore = int.MinValue;
        foreach (Entry entry in buckets[normalized[0] - 'A'])
        {
            if (!entry.Pattern.Matches(normalized))
            {
                continue;
            }

            int score = entry.Pattern.ScoreFor(length);
            if (others is null && best is not null && !Beats(entry, score, best, bestScore))
            {
                continue;
            }

            if (IsExcluded(entry.Condition, normalized))
            {
                continue;
            }

            others?.Add(entry);
            if (best is null || Beats(entry, score, best, bestScore))
            {
                best = entry;
                bestScore = score;
            }
        }

        return best;
    }

    private static bool Beats(Entry candidate, int score, Entry best, int bestScore)
    {
        if (score != bestScore)
        {
            return score > bestScore;
        }

        if (candidate.Condition.KnownBenign != best.Condition.KnownBenign)
        {
            return !candidate.Condition.KnownBenign;
        }

        return string.CompareOrdinal(candidate.Condition.Id, best.Condition.Id) < 0;
    }

    private static bool IsExcluded(CatalogCondition condition, ReadOnlySpan<char> normalized)
    {
        foreach (Icd10Pattern exclude in condition.Icd10Exclude)
        {
            if (exclude.Matches(normalized))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One pattern of one condition.</summary>
    internal sealed class Entry(Icd10Pattern pattern, CatalogCondition condition)
    {
        public Icd10Pattern Pattern { get; } = pattern;

        public CatalogCondition Condition { get; } = condition;

        public CatalogMatch Match { get; } = pattern.GestationalWeeks is int weeks
            ? condition.Match with { GestationalWeeks = weeks }
            : condition.Match;
    }
}
