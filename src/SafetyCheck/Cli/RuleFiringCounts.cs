using System.Text.Json;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Cli;

/// <summary>
/// How often each rule fired in the decisions recorded over a period, overall and per rule revision, read from the
/// audit trail through <see cref="IAuditReader.ListAsync"/> (decisions only, in sequence order, a page at a time).
/// A rule fired in a decision when it produced a precaution or a benefit note (the record's rule ids).
/// </summary>
internal sealed class RuleFiringCounts
{
    private readonly Dictionary<string, Dictionary<string, long>> _byRule;

    private RuleFiringCounts(long decisions, IReadOnlyList<RevisionUsage> revisions, Dictionary<string, Dictionary<string, long>> byRule)
    {
        Decisions = decisions;
        Revisions = revisions;
        _byRule = byRule;
    }

    /// <summary>Decisions recorded in the period.</summary>
    public long Decisions { get; }

    /// <summary>The revisions that decided in the period, in the order they first did.</summary>
    public IReadOnlyList<RevisionUsage> Revisions { get; }

    /// <summary>Decisions in the period in which <paramref name="ruleId"/> fired.</summary>
    public long Fired(string ruleId) => _byRule.TryGetValue(ruleId, out var revisions) ? revisions.Values.Sum() : 0;

    /// <summary>Decisions in which <paramref name="ruleId"/> fired on <paramref name="revision"/>.</summary>
    public long Fired(string ruleId, string revision) =>
        _byRule.TryGetValue(ruleId, out var revisions) && revisions.TryGetValue(revision, out var count) ? count : 0;

    /// <summary>
    /// Reads every decision recorded at or after <paramref name="from"/> and before <paramref name="to"/> (null:
    /// unbounded), each checked with <paramref name="changed"/> (a changed row is still counted, as stored; the entries
    /// between two decisions read are read too, for their links).
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The store cannot be read.</exception>
    public static async Task<RuleFiringCounts> ReadAsync(IAuditReader reader, DateTimeOffset? from, DateTimeOffset? to, ChangedRows changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(reader);
        long decisions = 0;
        var revisions = new List<(string Revision, long Decisions, string First, string Last)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var byRule = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        var filter = new EntryFilter { From = from, To = to, PageSize = EntryFilter.MaxPageSize };
        do
        {
            var page = await reader.ListAsync(filter, cancellationToken).ConfigureAwait(false);
            foreach (var entry in page.Items)
            {
                await changed.CheckAsync(entry, cancellationToken).ConfigureAwait(false);
                decisions++;
                var revision = entry.Revision ?? "";
                if (!index.TryGetValue(revision, out var at))
                {
                    at = revisions.Count;
                    index[revision] = at;
                    revisions.Add((revision, 0, entry.RecordedAt, entry.RecordedAt));
                }

                revisions[at] = revisions[at] with { Decisions = revisions[at].Decisions + 1, Last = entry.RecordedAt };
                foreach (var ruleId in RuleIds(entry))
                {
                    var counts = byRule.TryGetValue(ruleId, out var existing) ? existing : byRule[ruleId] = new Dictionary<string, long>(StringComparer.Ordinal);
                    counts[revision] = counts.GetValueOrDefault(revision) + 1;
                }
            }

            filter = filter with { PageToken = page.NextPageToken };
        }
        while (filter.PageToken is not null);

        var usage = new List<RevisionUsage>();
        foreach (var (revision, count, first, last) in revisions)
        {
            var archived = revision.Length == 0 ? null : await reader.GetRevisionAsync(revision, cancellationToken).ConfigureAwait(false);
            usage.Add(new RevisionUsage(revision, archived?.Identity.Name, archived?.Identity.Version, count, first, last));
        }

        return new RuleFiringCounts(decisions, usage, byRule);
    }

    /// <summary>The rule ids of a decision's index column; a damaged column (which <c>audit verify</c> reports) counts as none.</summary>
    private static string[] RuleIds(StoredEntry entry)
    {
        if (entry.RuleIds is null)
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<string[]>(entry.RuleIds) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
