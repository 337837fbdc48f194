using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Telemetry;
using SafetyCheck.Grpc;
using SafetyCheck.RuleSets;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace SafetyCheck.Telemetry;

/// <summary>
/// The service's instruments on the <c>SafetyCheck</c> meter (the audit writer adds its commit instruments to a meter
/// of the same name). Tags name verdicts, rule ids, revisions, outcomes and reasons: never patient data. Counting a
/// decision allocates nothing (tags come from arrays cached per revision, <see cref="RevisionTags"/>). Thread-safe;
/// one per service provider (its meter comes from the host's <see cref="IMeterFactory"/>).
/// <list type="table">
/// <item><term>safetycheck.decisions</term><description>decisions made and recorded; verdict, revision</description></item>
/// <item><term>safetycheck.rule.firings</term><description>rules that fired in a decision; rule, revision</description></item>
/// <item><term>safetycheck.rule.errors</term><description>rules that failed at request time; rule, revision</description></item>
/// <item><term>safetycheck.decision.duration</term><description>seconds from a request entering the pipeline to its outcome; outcome (decided, rejected, unavailable)</description></item>
/// <item><term>safetycheck.calls.rejected</term><description>calls answered with an error status; reason (the google.rpc.ErrorInfo reason)</description></item>
/// <item><term>safetycheck.cds.calls.rejected</term><description>CDS Hooks calls refused with HTTP 429 by a limit; reason (RATE_LIMITED, OVERLOADED), issuer</description></item>
/// <item><term>safetycheck.ruleset.reloads</term><description>rule set reloads; outcome</description></item>
/// <item><term>safetycheck.rule.silent</term><description>rules that went silent after a revision change; rule, revision, previous_revision</description></item>
/// <item><term>safetycheck.ruleset.info</term><description>1 for the rule revision this instance serves (none while none serves); revision, name, version</description></item>
/// <item><term>safetycheck.ruleset.newer_refused</term><description>1 while the rule files on disk are a revision the latest reload refused (GetRuleset's newer_revision_refused): a restart would not start on them; 0 otherwise</description></item>
/// <item><term>safetycheck.serving</term><description>1 while the service's health is SERVING, 0 while NOT_SERVING, as the health checks last found</description></item>
/// </list>
/// </summary>
internal sealed class SafetyCheckMetrics
{
    private static readonly KeyValuePair<string, object?>[] DecidedOutcome = [new("outcome", "decided")];
    private static readonly KeyValuePair<string, object?>[] RejectedOutcome = [new("outcome", "rejected")];
    private static readonly KeyValuePair<string, object?>[] UnavailableOutcome = [new("outcome", "unavailable")];

    private readonly Counter<long> _decisions;
    private readonly Counter<long> _ruleFirings;
    private readonly Counter<long> _ruleErrors;
    private readonly Histogram<double> _decisionDuration;
    private readonly Counter<long> _rejectedCalls;
    private readonly Counter<long> _rejectedCdsCalls;
    private readonly Counter<long> _reloads;
    private readonly Counter<long> _silentRules;
    private readonly ConcurrentDictionary<string, KeyValuePair<string, object?>[]> _reasonTags = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Reason, string Issuer), KeyValuePair<string, object?>[]> _cdsTags = new();
    private readonly ConcurrentDictionary<string, RevisionTags> _revisions = new(StringComparer.Ordinal);
    private volatile RevisionTags? _latest;

    // 1 while the latest reload refused the files on disk (see RecordReload), else 0.
    private int _newerRefused;

    /// <summary>How old a health run may be when <c>safetycheck.serving</c> is observed before a new one is started.</summary>
    internal static readonly TimeSpan ServingMaxAge = TimeSpan.FromSeconds(5);

    /// <param name="meters">The host's meter factory.</param>
    /// <param name="rules">The revision served, observed by <c>safetycheck.ruleset.info</c>; null leaves that gauge out.</param>
    /// <param name="health">The health checks' runs, observed by <c>safetycheck.serving</c>; null leaves that gauge out.</param>
    public SafetyCheckMetrics(IMeterFactory meters, RuleSetProvider? rules = null, HealthRuns? health = null)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Meter = meters.Create(SafetyCheckTelemetry.Name);
        _decisions = Meter.CreateCounter<long>("safetycheck.decisions", "{decision}", "Decisions made and recorded, by verdict and rule revision.");
        _ruleFirings = Meter.CreateCounter<long>("safetycheck.rule.firings", "{firing}", "Rules that fired in a decision, by rule id and revision.");
        _ruleErrors = Meter.CreateCounter<long>("safetycheck.rule.errors", "{error}", "Rules that failed at request time (the verdict then needs clinician review), by rule id and revision.");
        _decisionDuration = Meter.CreateHistogram(
            "safetycheck.decision.duration",
            unit: "s",
            description: "Time from a request entering the decision pipeline to its outcome (a decision is counted once its audit record is durable).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });
        _rejectedCalls = Meter.CreateCounter<long>("safetycheck.calls.rejected", "{call}", "Calls answered with an error status, by the reason of its google.rpc.ErrorInfo.");
        _rejectedCdsCalls = Meter.CreateCounter<long>("safetycheck.cds.calls.rejected", "{call}", "CDS Hooks calls refused with HTTP 429 by the listener's limits, by reason and issuer.");
        _reloads = Meter.CreateCounter<long>("safetycheck.ruleset.reloads", "{reload}", "Rule set reloads, by outcome.");
        _silentRules = Meter.CreateCounter<long>("safetycheck.rule.silent", "{rule}", "Rules that fired regularly on the previous revision and not once since the revision changed.");
        if (rules is not null)
        {
            // An info gauge: one series of value 1 naming the revision served, so that instances sharing a store can be
            // compared (an alert on more than one revision among them); no series while no rule set serves.
            Meter.CreateObservableGauge(
                "safetycheck.ruleset.info",
                () => rules.Current?.RuleSet.Identity is { } served ? [Serving(served)] : Array.Empty<Measurement<long>>(),
                unit: null,
                description: "The rule revision this instance serves (value 1), by revision, name and version; no series while none serves.");

            // The refused-reload counter says a reload failed once; this says the state lasts: the files on disk are a
            // revision that did not pass, the previous one still serves, and a restart would find no valid rule set.
            Meter.CreateObservableGauge(
                "safetycheck.ruleset.newer_refused",
                () => new Measurement<long>(Volatile.Read(ref _newerRefused)),
                unit: null,
                description: "1 while the rule files on disk are a revision the latest reload refused (the previous revision still serves, and a restart would not start on them), 0 otherwise.");
        }

        if (health is not null)
        {
            // What Health/Check answers, for alerts that do not speak gRPC: the last completed run of the same checks
            // (shared with Health/Watch, so a scrape adds at most one run every few seconds), never waited for.
            Meter.CreateObservableGauge(
                "safetycheck.serving",
                () => health.Observe(ServingMaxAge) is { } status
                    ? [new Measurement<long>(status == ServingStatus.Serving ? 1 : 0)]
                    : Array.Empty<Measurement<long>>(),
                unit: null,
                description: "1 while the service's health is SERVING, 0 while NOT_SERVING (rule set not loaded, audit store failing or chain refused); no series before the first health run.");
        }
    }

    /// <summary>The meter of these instruments (tests listen to it alone).</summary>
    public Meter Meter { get; }

    /// <summary>Counts a decision: its verdict, each rule that fired or failed, and its duration.</summary>
    public void Decided(Assessment assessment, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var tags = TagsOf(assessment);
        _decisions.Add(1, tags.Verdict(assessment.Suitability));
        var trace = assessment.Trace;
        for (var i = 0; i < trace.Count; i++)
        {
            var outcome = trace[i];
            if (!outcome.Fired && !outcome.Errored)
            {
                continue;
            }

            var ruleTags = tags.Rule(i, outcome.RuleId) ?? [new("rule", outcome.RuleId), new("revision", tags.Revision)];
            (outcome.Errored ? _ruleErrors : _ruleFirings).Add(1, ruleTags);
        }

        _decisionDuration.Record(elapsed.TotalSeconds, DecidedOutcome);
    }

    /// <summary>Records the duration of a request rejected for its fields.</summary>
    public void Rejected(TimeSpan elapsed) => _decisionDuration.Record(elapsed.TotalSeconds, RejectedOutcome);

    /// <summary>Records the duration of a request that could not be answered.</summary>
    public void Unavailable(TimeSpan elapsed) => _decisionDuration.Record(elapsed.TotalSeconds, UnavailableOutcome);

    /// <summary>Counts a call answered with an error whose <c>google.rpc.ErrorInfo</c> reason is <paramref name="reason"/> (e.g. <c>RATE_LIMITED</c>).</summary>
    public void RecordRejectedCall(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        _rejectedCalls.Add(1, _reasonTags.GetOrAdd(reason, static r => [new("reason", r)]));
    }

    /// <summary>
    /// Counts a CDS Hooks call refused with HTTP 429 by a limit of the listener: <paramref name="reason"/>
    /// <c>RATE_LIMITED</c> (the issuer's calls per second) or <c>OVERLOADED</c> (its calls in progress). The issuer is the
    /// verified token's, from the allow-list, so the tags stay few.
    /// </summary>
    public void RecordRejectedCdsCall(string reason, string issuer)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        _rejectedCdsCalls.Add(1, _cdsTags.GetOrAdd((reason, issuer), static k => [new("reason", k.Reason), new("issuer", k.Issuer)]));
    }

    /// <summary>
    /// Counts a rule set reload by <paramref name="outcome"/>: <c>served</c> (a new revision serves), <c>unchanged</c>
    /// (the files hash to the revision already served), <c>refused</c> (the candidate failed; the previous revision still serves),
    /// and sets <c>safetycheck.ruleset.newer_refused</c> to 1 after a refusal, 0 after any other outcome.
    /// Keep to a few fixed words: each is a time series.
    /// </summary>
    public void RecordReload(string outcome)
    {
        ArgumentException.ThrowIfNullOrEmpty(outcome);
        _reloads.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        Volatile.Write(ref _newerRefused, outcome == "refused" ? 1 : 0);
    }

    /// <summary>Counts a rule reported silent on <paramref name="revision"/> after <paramref name="previousRevision"/>.</summary>
    public void RecordSilentRule(string ruleId, string revision, string previousRevision) =>
        _silentRules.Add(1, new("rule", ruleId), new("revision", revision), new("previous_revision", previousRevision));

    /// <summary>The info gauge's one measurement (made at each collection: a scrape is rare, a decision never makes one).</summary>
    private static Measurement<long> Serving(RulesetIdentity served) =>
        new(1, new KeyValuePair<string, object?>("revision", served.Revision), new("name", served.Name), new("version", served.Version));

    private RevisionTags TagsOf(Assessment assessment)
    {
        var revision = assessment.Ruleset.Revision;
        var latest = _latest;
        if (latest is not null && ReferenceEquals(latest.Revision, revision))
        {
            return latest;
        }

        var tags = _revisions.GetOrAdd(revision, static (r, trace) => RevisionTags.For(r, trace), assessment.Trace);
        _latest = tags;
        return tags;
    }
}
