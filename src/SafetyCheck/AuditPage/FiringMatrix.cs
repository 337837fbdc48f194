using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.AuditPage;

/// <summary>
/// Each rule's firings per revision over a period, revisions in the order they were first used, so that a rule that
/// stopped firing after an edit stands out: it fired on one revision, still exists on the next, and fired there in no
/// decision although its rate before predicted at least <see cref="SilenceThreshold"/>.
/// </summary>
/// <param name="Columns">The revisions with decisions in the period, first used first (at most <see cref="MaxColumns"/>, the latest).</param>
/// <param name="Rows">Rules that fired on at least one of them, rules that went silent first, then by id.</param>
/// <param name="NeverFired">Rules of these revisions that fired in no decision of the period.</param>
public sealed record FiringMatrix(IReadOnlyList<FiringColumn> Columns, IReadOnlyList<FiringRow> Rows, int NeverFired)
{
    /// <summary>Revisions shown side by side.</summary>
    public const int MaxColumns = 8;

    /// <summary>Firings the previous revision's rate must predict before no firing at all counts as silence.</summary>
    public const double SilenceThreshold = 3;

    public static FiringMatrix Build(RuleFirings firings, IReadOnlyList<RevisionUse> order, Func<string, IReadOnlySet<string>?> rulesOf)
    {
        ArgumentNullException.ThrowIfNull(firings);
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(rulesOf);
        var columns = order
            .Where(r => firings.DecisionsPerRevision.ContainsKey(r.Identity.Revision))
            .TakeLast(MaxColumns)
            .Select(r => new FiringColumn(r.Identity, firings.DecisionsPerRevision[r.Identity.Revision], rulesOf(r.Identity.Revision)))
            .ToList();
        var counts = firings.Counts.ToLookup(c => c.RuleId, StringComparer.Ordinal);
        var everyRule = columns.SelectMany(c => c.RuleIds ?? (IEnumerable<string>)[]).ToHashSet(StringComparer.Ordinal);
        var fired = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<FiringRow>();
        foreach (var rule in counts.Select(g => g.Key).Where(id => columns.Any(c => counts[id].Any(x => x.Revision == c.Identity.Revision))))
        {
            fired.Add(rule);
            var byRevision = counts[rule].ToDictionary(c => c.Revision, c => c.Decisions, StringComparer.Ordinal);
            var cells = columns.Select(c => c.RuleIds is { } ids && !ids.Contains(rule) ? (long?)null : byRevision.GetValueOrDefault(c.Identity.Revision)).ToArray();
            var silent = new HashSet<int>();
            for (var i = 1; i < columns.Count; i++)
            {
                if (cells[i - 1] is { } before && before > 0 && cells[i] == 0
                    && (double)before / columns[i - 1].Decisions * columns[i].Decisions >= SilenceThreshold)
                {
                    silent.Add(i);
                }
            }

            rows.Add(new FiringRow(rule, cells, silent));
        }

        return new FiringMatrix(
            columns,
            [.. rows.OrderBy(r => r.SilentFrom.Count == 0).ThenBy(r => r.RuleId, StringComparer.Ordinal)],
            everyRule.Count(r => !fired.Contains(r)));
    }

    /// <summary>Every silence: the rule, the revision it fired on, and the next one where it did not.</summary>
    public IEnumerable<(string RuleId, FiringColumn Before, long FiredBefore, FiringColumn After)> Silences() =>
        Rows.SelectMany(r => r.SilentFrom.Order().Select(i => (r.RuleId, Columns[i - 1], r.Counts[i - 1]!.Value, Columns[i])));

    /// <summary>The picture's column label: <c>1.2.0 · 2fe69a7a</c>.</summary>
    public static string Label(RulesetIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return $"{identity.Version} · {identity.Revision[..Math.Min(8, identity.Revision.Length)]}";
    }
}
