using System.Text.Json;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Summaries;

/// <summary>
/// The summaries of a store (<see cref="IAuditSummaries"/>), counted once and kept: each call first counts the
/// decisions appended since the last one (by chain position, one watermark per chain, never by time: a record's time
/// may lag its commit, and several instances append to their own chains), then answers from what it holds. The first
/// call reads every decision's index columns once; later calls cost a head look-up per chain and the new decisions.
/// Answers are the store's own: verdicts per UTC day, decisions per revision with their first and last recording time,
/// and per day, revision and rule the decisions in which the rule fired. A period that is not whole UTC days (from
/// midnight to midnight) is asked of the store.
/// <para>
/// Memory does not grow with the number of decisions: per UTC day of trail it holds a counter per verdict and, per
/// revision that decided that day, a counter per rule that fired that day (about 100 bytes a counter: a day on one
/// revision of 60 rules is under 8 KB, a year under 3 MB), plus a total per revision, one copy of each name and up to
/// 4,096 distinct rule lists kept parsed.
/// </para>
/// <para>
/// One call counts at a time; the others wait for it and then answer from the same state (their own catch-up finds
/// little or nothing). A failed or cancelled catch-up keeps everything counted up to the last decision it read, and
/// the call fails as the store's query would (<see cref="AuditStoreUnavailableException"/>): nothing is answered from
/// counts that could not be brought up to date. Decisions without a revision count in the verdicts only. Should a
/// chain's head ever be lower than what was counted (the store was replaced, e.g. restored from a backup), everything
/// is counted again. Filled by readers only: the write path never sees it. Thread-safe; dispose when done.
/// </para>
/// </summary>
public sealed class SummaryCache : IAuditSummaries, IDisposable
{
    /// <summary>Positions read per store query while counting (bounds each read; the first count of a large trail is several queries).</summary>
    public const int SliceSize = 50_000;

    /// <summary>Distinct rule lists kept parsed (decisions repeat a few combinations; a trail with more parses the rest each time).</summary>
    private const int MaxRuleLists = 4_096;

    private readonly IAuditSummarySource _store;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, long> _counted = new(StringComparer.Ordinal);
    private readonly Dictionary<DateOnly, DayTally> _days = [];
    private readonly Dictionary<string, RevisionTally> _revisions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _ruleLists = new(StringComparer.Ordinal);
    private string? _lastDayText;
    private DateOnly _lastDay;

    /// <summary>A cache over <paramref name="store"/>; nothing is read until the first call.</summary>
    public SummaryCache(IAuditSummarySource store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Decisions counted so far, over every chain (for logs and tests).</summary>
    public long Decisions { get; private set; }

    /// <summary>Counts what was appended since the last call (the first call counts the whole trail).</summary>
    /// <exception cref="AuditStoreUnavailableException">The store cannot be read.</exception>
    public Task RefreshAsync(CancellationToken cancellationToken = default) => AnswerAsync(() => true, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RevisionUse>> ListRevisionUsesAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);

            // Read after counting: a revision is archived before its first decision, so every counted one is listed.
            var archived = await _store.ListArchivedRevisionsAsync(cancellationToken).ConfigureAwait(false);
            return [.. archived
                .Select(identity => _revisions.TryGetValue(identity.Revision, out var use)
                    ? new RevisionUse(identity, use.Decisions, use.First, use.Last)
                    : new RevisionUse(identity, 0, null, null))
                .OrderBy(use => use.FirstRecordedAt is null)
                .ThenBy(use => use.FirstRecordedAt, StringComparer.Ordinal)
                .ThenBy(use => use.Identity.Revision, StringComparer.Ordinal)];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RulesetIdentity>> ListArchivedRevisionsAsync(CancellationToken cancellationToken = default) =>
        _store.ListArchivedRevisionsAsync(cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<VerdictCount>> CountVerdictsPerDayAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        if (!WholeDays(from, to, out var first, out var end))
        {
            return _store.CountVerdictsPerDayAsync(from, to, cancellationToken);
        }

        return AnswerAsync<IReadOnlyList<VerdictCount>>(
            () => [.. DaysIn(first, end).SelectMany(day => _days[day].Verdicts
                .OrderBy(v => v.Key, StringComparer.Ordinal)
                .Select(v => new VerdictCount(day, v.Key, v.Value)))],
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RuleFirings> CountRuleFiringsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        if (!WholeDays(from, to, out var first, out var end))
        {
            return _store.CountRuleFiringsAsync(from, to, cancellationToken);
        }

        return AnswerAsync(
            () =>
            {
                var decisions = new Dictionary<string, long>(StringComparer.Ordinal);
                var fired = new Dictionary<(string Revision, string RuleId), long>();
                foreach (var day in DaysIn(first, end))
                {
                    foreach (var (revision, tally) in _days[day].Revisions)
                    {
                        decisions[revision] = decisions.GetValueOrDefault(revision) + tally.Decisions;
                        foreach (var (rule, count) in tally.Firings)
                        {
                            fired[(revision, rule)] = fired.GetValueOrDefault((revision, rule)) + count;
                        }
                    }
                }

                IReadOnlyList<RuleFiringCount> counts = [.. fired
                    .OrderBy(f => f.Key.Revision, StringComparer.Ordinal)
                    .ThenBy(f => f.Key.RuleId, StringComparer.Ordinal)
                    .Select(f => new RuleFiringCount(f.Key.Revision, f.Key.RuleId, f.Value))];
                return new RuleFirings(decisions, counts);
            },
            cancellationToken);
    }

    /// <summary>Releases the gate.</summary>
    public void Dispose() => _gate.Dispose();

    /// <summary>True when [<paramref name="from"/>, <paramref name="to"/>) runs from a UTC midnight to a UTC midnight.</summary>
    private static bool WholeDays(DateTimeOffset from, DateTimeOffset to, out DateOnly first, out DateOnly end)
    {
        var start = from.UtcDateTime;
        var stop = to.UtcDateTime;
        first = DateOnly.FromDateTime(start);
        end = DateOnly.FromDateTime(stop);
        return start.TimeOfDay == TimeSpan.Zero && stop.TimeOfDay == TimeSpan.Zero;
    }

    private List<DateOnly> DaysIn(DateOnly first, DateOnly end)
    {
        var days = _days.Keys.Where(day => day >= first && day < end).ToList();
        days.Sort();
        return days;
    }

    private async Task<T> AnswerAsync<T>(Func<T> answer, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
            return answer();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Counts every decision after each chain's watermark up to its current head, slice by slice.</summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var heads = await _store.ReadChainHeadsAsync(cancellationToken).ConfigureAwait(false);
        if (_counted.Any(counted => heads.GetValueOrDefault(counted.Key) < counted.Value))
        {
            Clear();
        }

        foreach (var (chain, head) in heads.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            var counted = _counted.GetValueOrDefault(chain);
            while (counted < head)
            {
                var through = Math.Min(head, counted + SliceSize);
                await foreach (var decision in _store.ReadDecisionSummariesAsync(chain, counted, through, cancellationToken).ConfigureAwait(false))
                {
                    if (decision.Sequence <= counted || decision.Sequence > through)
                    {
                        throw new AuditStoreUnavailableException(
                            $"the audit store returned sequence {decision.Sequence} of chain '{chain}' when asked for {counted + 1}–{through} in order");
                    }

                    Add(decision);
                    counted = decision.Sequence;
                    _counted[chain] = counted;
                }

                counted = through;
                _counted[chain] = counted;
            }
        }
    }

    /// <summary>Counts one decision; reads everything it needs before changing anything, so a bad row changes nothing.</summary>
    private void Add(DecisionSummary decision)
    {
        var day = DayOf(decision.RecordedAt);
        var rules = RulesOf(decision);

        if (!_days.TryGetValue(day, out var tally))
        {
            tally = new DayTally();
            _days[day] = tally;
        }

        if (decision.Verdict is { } verdict)
        {
            verdict = Name(verdict);
            tally.Verdicts[verdict] = tally.Verdicts.GetValueOrDefault(verdict) + 1;
        }

        if (decision.Revision is { } revision)
        {
            revision = Name(revision);
            if (!tally.Revisions.TryGetValue(revision, out var onDay))
            {
                onDay = new RevisionDayTally();
                tally.Revisions[revision] = onDay;
            }

            onDay.Decisions++;
            foreach (var rule in rules)
            {
                onDay.Firings[rule] = onDay.Firings.GetValueOrDefault(rule) + 1;
            }

            if (!_revisions.TryGetValue(revision, out var use))
            {
                use = new RevisionTally(decision.RecordedAt);
                _revisions[revision] = use;
            }

            use.Add(decision.RecordedAt);
        }

        Decisions++;
    }

    /// <summary>The rule ids of a decision, each a shared copy; the lists seen most often are kept parsed.</summary>
    private string[] RulesOf(DecisionSummary decision)
    {
        if (decision.RuleIds is not { } json)
        {
            return [];
        }

        if (_ruleLists.TryGetValue(json, out var known))
        {
            return known;
        }

        string[] rules;
        try
        {
            rules = JsonSerializer.Deserialize<string[]>(json) ?? [];
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Decision {decision.Sequence} has rule ids that are not a JSON array of strings.", ex);
        }

        for (var i = 0; i < rules.Length; i++)
        {
            rules[i] = Name(rules[i] ?? throw new InvalidDataException($"Decision {decision.Sequence} has a rule id that is null."));
        }

        if (_ruleLists.Count < MaxRuleLists)
        {
            _ruleLists[json] = rules;
        }

        return rules;
    }

    /// <summary>The UTC day of an audit time (its first ten characters, as the stores group).</summary>
    private DateOnly DayOf(string recordedAt)
    {
        if (recordedAt.Length < 10)
        {
            throw new InvalidDataException($"'{recordedAt}' is not an audit time.");
        }

        if (_lastDayText is null || string.CompareOrdinal(_lastDayText, 0, recordedAt, 0, 10) != 0)
        {
            _lastDay = AuditTime.ReadDate(recordedAt[..10]);
            _lastDayText = recordedAt[..10];
        }

        return _lastDay;
    }

    /// <summary>One shared copy of each verdict, revision and rule id.</summary>
    private string Name(string name)
    {
        if (_names.TryGetValue(name, out var shared))
        {
            return shared;
        }

        _names[name] = name;
        return name;
    }

    private void Clear()
    {
        _counted.Clear();
        _days.Clear();
        _revisions.Clear();
        Decisions = 0;
    }

    /// <summary>One UTC day: decisions per verdict, and per revision.</summary>
    private sealed class DayTally
    {
        public Dictionary<string, long> Verdicts { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, RevisionDayTally> Revisions { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>One revision on one day: its decisions, and per rule those in which it fired.</summary>
    private sealed class RevisionDayTally
    {
        public long Decisions { get; set; }

        public Dictionary<string, long> Firings { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>One revision over the whole trail: its decisions and the earliest and latest recording times (audit form, ordinal).</summary>
    private sealed class RevisionTally(string recordedAt)
    {
        public long Decisions { get; private set; }

        public string First { get; private set; } = recordedAt;

        public string Last { get; private set; } = recordedAt;

        public void Add(string recordedAt)
        {
            Decisions++;
            if (string.CompareOrdinal(recordedAt, First) < 0)
            {
                First = recordedAt;
            }

            if (string.CompareOrdinal(recordedAt, Last) > 0)
            {
                Last = recordedAt;
            }
        }
    }
}
