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
/// revision still in flight during the change are ignored. The windows live in memory: a restart starts them afresh.
/// Thread-safe.
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
            if (!string.Equals(revision, _revision, StringComparison.Ordinal))
            {
                if (string.Equals(revision, _previousRevision, StringComparison.Ordinal))
                {
                    return;
                }

                SwitchTo(revision, assessment.Trace);
            }

            Count(assessment.Trace);
            if (_watched is not null && --_watchLeft == 0)
            {
                silent = [.. _watched.Where(w => w.Value).Select(w => (_ruleIds[w.Key], 0))];
                previous = _previousRevision;
                _watched = null;
            }
        }

        if (silent is not null)
        {
            Report(silent, revision, previous!);
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

    /// <summary>Starts counting <paramref name="revision"/>, watching the rules that were regular on the one before.</summary>
    private void SwitchTo(string revision, IReadOnlyList<RuleOutcome> trace)
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
        _ruleIds = [.. trace.Select(o => o.RuleId)];
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

    /// <summary>Moves the window on by one decision: forgets the oldest, counts the rules of <paramref name="trace"/> that fired.</summary>
    private void Count(IReadOnlyList<RuleOutcome> trace)
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

        var rules = Math.Min(trace.Count, _ruleIds.Length);
        for (var i = 0; i < rules; i++)
        {
            if (trace[i].Fired)
            {
                _ring[slot + (i / 64)] |= 1UL << (i % 64);
                _counts[i]++;
                if (_watched is not null && _watched.ContainsKey(i))
                {
                    _watched[i] = false;
                }
            }
        }

        _next = (_next + 1) % _options.Window;
        _seen++;
    }
}
