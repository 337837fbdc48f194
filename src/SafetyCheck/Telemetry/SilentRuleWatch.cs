using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Pipeline;

namespace SafetyCheck.Telemetry;

/// <summary>
/// The silent-rule alarm: reports a rule that fired regularly on one rule revision and has not fired since the revision
/// served changed (an alert silenced by an edit: a known failure of clinical decision support). It keeps, for the
/// revision being served, which rules fired in each of the last <see cref="SilentRuleOptions.Window"/> decisions (a ring
/// of bit sets: no allocation per decision). When decisions start arriving on another revision, the rules that fired in
/// at least <see cref="SilentRuleOptions.MinFirings"/> of a full window and that the new revision still has are watched;
/// each that has not fired once in the first <see cref="SilentRuleOptions.NewRevisionWindow"/> decisions on the new
/// revision is reported once, as a warning log line and on <c>safetycheck.rule.silent</c>. Decisions on the previous
/// revision still in flight during the change are ignored. The windows live in memory, and are taken up again after a
/// restart from the last decisions of the audit trail (<see cref="Resume"/>, by <see cref="SilentRuleResumption"/>): the
/// usual way an edit goes live, a restart on the new rule files, is watched like a reload. Thread-safe.
/// </summary>
internal sealed class SilentRuleWatch : IDecisionObserver
{
    private readonly object _gate = new();
    private readonly SilentRuleOptions _options;
    private readonly SafetyCheckMetrics _metrics;
    private readonly ILogger _log;

    private string? _revision;
    private string? _previousRevision;
    private string[] _ruleIds = [];
    private int _words;
    private ulong[] _ring = [];
    private int[] _counts = [];
    private int _next;
    private long _seen;

    // The watch after a revision change: rule index in the new revision → still silent; decisions left to watch.
    private Dictionary<int, bool>? _watched;
    private int _watchLeft;

    // The trail's last decisions, oldest first, taken up when the first decision of this process arrives.
    private IReadOnlyList<TrailDecision>? _resume;

    public SilentRuleWatch(IOptions<TelemetryOptions> options, SafetyCheckMetrics metrics, ILogger<SilentRuleWatch> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(log);
        _options = options.Value.SilentRules;
        _metrics = metrics;
        _log = log;
    }

    public void Decided(Decided decision, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (!_options.Enabled)
        {
            return;
        }

        var assessment = decision.Assessment;
        var revision = assessment.Ruleset.Revision;
        List<(string Rule, int Firings)>? silent = null;
        string? previous = null;
        lock (_gate)
        {
            if (_resume is { } resume)
            {
                _resume = null;
                TakeUp(resume, revision, assessment.Trace);
            }

            if (!string.Equals(revision, _revision, StringComparison.Ordinal))
            {
                if (string.Equals(revision, _previousRevision, StringComparison.Ordinal))
                {
                    return;
                }

                SwitchTo(revision, RuleIdsOf(assessment.Trace));
            }

            var slot = StartSlot();
            var trace = assessment.Trace;
            var rules = Math.Min(trace.Count, _ruleIds.Length);
            for (var i = 0; i < rules; i++)
            {
                if (trace[i].Fired)
                {
                    Mark(slot, i);
                }
            }

            if (EndSlot())
            {
                silent = [.. _watched!.Where(w => w.Value).Select(w => (_ruleIds[w.Key], 0))];
                previous = _previousRevision;
                _watched = null;
            }
        }

        if (silent is not null)
        {
            Report(silent, revision, previous!);
        }
    }

    /// <summary>
    /// Takes up <paramref name="decisions"/> (the audit trail's last ones, oldest first) as if this process had seen
    /// them, when its first decision arrives: the windows go on where the last process left them. A watch that ended
    /// within them was the earlier process's to report and is not reported again. Ignored once a decision has been
    /// counted. The served revision's rules come from that first decision; a revision seen only in the trail is known
    /// by the rules its decisions fired (enough to count them; a change between two such revisions is not watched).
    /// </summary>
    public void Resume(IReadOnlyList<TrailDecision> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        lock (_gate)
        {
            if (_revision is null && decisions.Count > 0)
            {
                _resume = decisions;
            }
        }
    }

    public void Rejected(Rejected rejection, TimeSpan elapsed)
    {
    }

    public void Unavailable(Unavailable unavailable, TimeSpan elapsed)
    {
    }

    private void Report(List<(string Rule, int Firings)> silent, string revision, string previous)
    {
        foreach (var (rule, _) in silent)
        {
            TelemetryLog.SilentRule(_log, rule, revision, previous, _options.MinFirings, _options.Window, _options.NewRevisionWindow);
            _metrics.RecordSilentRule(rule, revision, previous);
        }
    }

    /// <summary>Counts <paramref name="decisions"/> before the first decision on <paramref name="served"/>, reporting nothing.</summary>
    private void TakeUp(IReadOnlyList<TrailDecision> decisions, string served, IReadOnlyList<RuleOutcome> trace)
    {
        var known = new Dictionary<string, string[]>(StringComparer.Ordinal) { [served] = RuleIdsOf(trace) };
        foreach (var group in decisions.Where(d => !known.ContainsKey(d.Revision)).GroupBy(d => d.Revision, StringComparer.Ordinal))
        {
            known[group.Key] = [.. group.SelectMany(d => d.FiredRuleIds).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }

        Dictionary<string, int>? index = null;
        foreach (var decision in decisions)
        {
            if (!string.Equals(decision.Revision, _revision, StringComparison.Ordinal))
            {
                if (string.Equals(decision.Revision, _previousRevision, StringComparison.Ordinal))
                {
                    continue;
                }

                SwitchTo(decision.Revision, known[decision.Revision]);
                index = null;
            }

            index ??= _ruleIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
            var slot = StartSlot();
            foreach (var rule in decision.FiredRuleIds)
            {
                if (index.TryGetValue(rule, out var i))
                {
                    Mark(slot, i);
                }
            }

            if (EndSlot())
            {
                // Ended before this process started: the earlier one reported it.
                _watched = null;
            }
        }
    }

    private static string[] RuleIdsOf(IReadOnlyList<RuleOutcome> trace) => [.. trace.Select(o => o.RuleId)];

    /// <summary>Starts counting <paramref name="revision"/>, watching the rules that were regular on the one before.</summary>
    private void SwitchTo(string revision, string[] ruleIds)
    {
        var regular = new HashSet<string>(StringComparer.Ordinal);
        if (_revision is not null && _seen >= _options.Window)
        {
            for (var i = 0; i < _ruleIds.Length; i++)
            {
                if (_counts[i] >= _options.MinFirings)
                {
                    regular.Add(_ruleIds[i]);
                }
            }
        }

        _previousRevision = _revision;
        _revision = revision;
        _ruleIds = ruleIds;
        _words = (_ruleIds.Length + 63) / 64;
        _ring = new ulong[_options.Window * _words];
        _counts = new int[_ruleIds.Length];
        _next = 0;
        _seen = 0;
        _watched = null;
        var watched = new Dictionary<int, bool>();
        for (var i = 0; i < _ruleIds.Length; i++)
        {
            if (regular.Contains(_ruleIds[i]))
            {
                watched[i] = true;
            }
        }

        if (watched.Count > 0)
        {
            _watched = watched;
            _watchLeft = _options.NewRevisionWindow;
        }
    }

    /// <summary>Moves the window on by one decision: forgets the oldest; returns the slot to <see cref="Mark"/> its firings in.</summary>
    private int StartSlot()
    {
        var slot = _next * _words;
        for (var w = 0; w < _words; w++)
        {
            var bits = _ring[slot + w];
            while (bits != 0)
            {
                var bit = System.Numerics.BitOperations.TrailingZeroCount(bits);
                _counts[(w * 64) + bit]--;
                bits &= bits - 1;
            }

            _ring[slot + w] = 0;
        }

        return slot;
    }

    /// <summary>Counts rule <paramref name="rule"/> (its position in the revision) as fired in the decision of <paramref name="slot"/>.</summary>
    private void Mark(int slot, int rule)
    {
        _ring[slot + (rule / 64)] |= 1UL << (rule % 64);
        _counts[rule]++;
        if (_watched is not null && _watched.ContainsKey(rule))
        {
            _watched[rule] = false;
        }
    }

    /// <summary>Ends the decision's slot; true when it was the last the watch after a revision change waited for.</summary>
    private bool EndSlot()
    {
        _next = (_next + 1) % _options.Window;
        _seen++;
        return _watched is not null && --_watchLeft == 0;
    }
}
