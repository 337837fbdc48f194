using System.Collections.Frozen;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Terminology;

namespace SafetyCheck.Core.Catalog;

/// <summary>
/// Resolves SNOMED CT descendants, from the frozen expansions of the concepts the catalog's rows name, to the row
/// they belong to; built once per catalog, so that a lookup is one frozen-dictionary probe.
/// </summary>
/// <remarks>
/// Precedence for a descendant several expansions list: an id a row names exactly is that row's and never looked up
/// here (where another row's expansion lists it, it is kept as a <see cref="SnomedCapture"/> for <c>check</c>);
/// otherwise the more specific concept wins, concept A being more specific than concept B when A is itself in B's
/// expansion, or when A's expansion is a strict subset of B's; when no single concept (or no single condition)
/// is the most specific, a condition that overrides all the others (<see cref="CatalogCondition.Overrides"/>) wins;
/// otherwise the tie fails closed: a condition that is not known-benign wins over a known-benign one, then the
/// condition whose rules can give the more restrictive outcome, then the ordinal-smaller condition id, and the tie is
/// kept as a <see cref="SnomedAmbiguity"/> for <c>check</c>.
/// </remarks>
internal sealed class SnomedDescendantIndex
{
    /// <param name="named">SNOMED CT id → the condition whose row names it.</param>
    /// <param name="expansions">The frozen expansions.</param>
    /// <param name="restrictiveness">
    /// Condition id → the most restrictive outcome its rules can give; conditions not listed count as
    /// <see cref="Suitability.Unspecified"/>. Orders a tie between conditions that are not known-benign.
    /// </param>
    public SnomedDescendantIndex(
        IReadOnlyDictionary<string, CatalogCondition> named,
        IReadOnlyList<SnomedExpansion> expansions,
        IReadOnlyDictionary<string, Suitability> restrictiveness)
    {
        var used = new List<(SnomedExpansion Expansion, CatalogCondition Condition, HashSet<string> Codes)>();
        var unused = new List<SnomedExpansion>();
        foreach (var expansion in expansions)
        {
            if (named.TryGetValue(expansion.Concept, out var condition))
            {
                used.Add((expansion, condition, expansion.Descendants.Select(d => d.Code).ToHashSet(StringComparer.Ordinal)));
            }
            else
            {
                unused.Add(expansion);
            }
        }

        var candidates = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        // An exactly named id another row's expansions list: (id, that row) → what check says about it. One probe per
        // descendant, as the lookup below makes anyway.
        var captureIndex = new Dictionary<(string Code, CatalogCondition From), int>();
        var captures = new List<(SnomedDescendant Descendant, CatalogCondition Taker, CatalogCondition From, List<SnomedExpansion> Expansions)>();
        for (int i = 0; i < used.Count; i++)
        {
            foreach (var descendant in used[i].Expansion.Descendants)
            {
                if (named.TryGetValue(descendant.Code, out var taker))
                {
                    // The exactly named id always wins; when the expansion is another row's, that row loses it.
                    var from = used[i].Condition;
                    if (taker != from)
                    {
                        if (!captureIndex.TryGetValue((descendant.Code, from), out int at))
                        {
                            captureIndex.Add((descendant.Code, from), at = captures.Count);
                            captures.Add((descendant, taker, from, []));
                        }

                        captures[at].Expansions.Add(used[i].Expansion);
                    }

                    continue;
                }

                if (!candidates.TryGetValue(descendant.Code, out var list))
                {
                    candidates.Add(descendant.Code, list = []);
                }

                list.Add(i);
            }
        }

        var matches = new Dictionary<string, CatalogMatch>(candidates.Count, StringComparer.Ordinal);
        var usedOverrides = new HashSet<(string, string)>();
        var ambiguities = new List<SnomedAmbiguity>();
        // Whether expansion j is more specific than expansion i, worked out once per pair that shares a descendant.
        var moreSpecific = new Dictionary<(int, int), bool>();
        bool MoreSpecific(int j, int i)
        {
            if (!moreSpecific.TryGetValue((j, i), out bool answer))
            {
                moreSpecific.Add((j, i), answer = IsMoreSpecific(used[j], used[i]));
            }

            return answer;
        }

        foreach (var (code, list) in candidates)
        {
            if (list.Count == 1)
            {
                matches.Add(code, used[list[0]].Condition.Match);
                continue;
            }

            var mostSpecific = list
                .Where(i => !list.Any(j => j != i && MoreSpecific(j, i)))
                .ToList();
            var conditions = mostSpecific.Select(i => used[i].Condition).Distinct().ToList();
            if (conditions.Count == 1)
            {
                matches.Add(code, conditions[0].Match);
                continue;
            }

            var overriding = conditions.Where(c => conditions.All(other => other == c || c.Overrides.Contains(other.Id, StringComparer.Ordinal))).ToList();
            if (overriding.Count == 1)
            {
                matches.Add(code, overriding[0].Match);
                foreach (var other in conditions.Where(other => other != overriding[0]))
                {
                    usedOverrides.Add((overriding[0].Id, other.Id));
                }

                continue;
            }

            var winner = conditions
                .OrderBy(c => c.KnownBenign)
                .ThenByDescending(c => restrictiveness.GetValueOrDefault(c.Id))
                .ThenBy(c => c.Id, StringComparer.Ordinal)
                .First();
            matches.Add(code, winner.Match);
            var first = used[mostSpecific[0]].Expansion.Descendants.First(d => d.Code == code);
            ambiguities.Add(new SnomedAmbiguity(code, first.Display, winner, [.. mostSpecific.Select(i => (used[i].Expansion, used[i].Condition))]));
        }

        Matches = matches.ToFrozenDictionary(StringComparer.Ordinal);
        Ambiguities = [.. ambiguities.OrderBy(a => a.Candidates[0].Expansion.File, StringComparer.Ordinal).ThenBy(a => a.Code, StringComparer.Ordinal)];
        Unused = unused;
        UsedOverrides = usedOverrides;
        Captures = [.. captures.Select(c => new SnomedCapture(c.Descendant.Code, c.Descendant.Display, c.Taker, c.From, c.Expansions))];
    }

    /// <summary>Ids a row names exactly that another row's expansions list, one per (id, other row), in expansion file order.</summary>
    public IReadOnlyList<SnomedCapture> Captures { get; }

    /// <summary>(overriding, overridden) condition ids whose override decided a tie.</summary>
    public IReadOnlySet<(string Overriding, string Overridden)> UsedOverrides { get; }

    /// <summary>Descendant id → the match of the row it resolves to.</summary>
    public FrozenDictionary<string, CatalogMatch> Matches { get; }

    /// <summary>Descendants whose precedence fell back to failing closed.</summary>
    public IReadOnlyList<SnomedAmbiguity> Ambiguities { get; }

    /// <summary>Expansions of concepts no row names: they resolve nothing.</summary>
    public IReadOnlyList<SnomedExpansion> Unused { get; }

    private static bool IsMoreSpecific(
        (SnomedExpansion Expansion, CatalogCondition Condition, HashSet<string> Codes) a,
        (SnomedExpansion Expansion, CatalogCondition Condition, HashSet<string> Codes) b)
    {
        bool aUnderB = b.Codes.Contains(a.Expansion.Concept);
        bool bUnderA = a.Codes.Contains(b.Expansion.Concept);
        if (aUnderB != bUnderA)
        {
            return aUnderB;
        }

        // Neither lists the other (or, inconsistently, both do): the smaller expansion when the other contains it.
        return a.Codes.Count < b.Codes.Count && a.Codes.IsSubsetOf(b.Codes);
    }
}
