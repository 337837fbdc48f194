using System.Globalization;
using Microsoft.Extensions.Logging;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Telemetry;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.Core.Pipeline;

/// <summary>
/// The one way a request becomes an answer, whatever the transport (gRPC, <c>eval</c>, FHIR, later CDS Hooks): a
/// request and a caller in; <see cref="Decided"/>, <see cref="Rejected"/> or <see cref="Unavailable"/> out. Validation,
/// facts, evaluation and combining (<see cref="SafetyChecker.Check"/>) and then recording happen here, in that order,
/// once, on one rule revision read once. A store failure becomes <see cref="UnavailableReason.AuditUnavailable"/> here
/// and nowhere else, and every outcome is logged and handed to the observers here. Transports map their request in and
/// the outcome out, and add nothing clinical. Thread-safe.
/// </summary>
public sealed class DecisionPipeline : IDisposable
{
    private readonly IRuleRevisionSource _rules;
    private readonly IDecisionRecorder _recorder;
    private readonly IDecisionIdSource _decisionIds;
    private readonly TimeProvider _clock;
    private readonly IDecisionObserver[] _observers;
    private readonly ILogger _log;
    private readonly RefusalReport<(string DecisionId, string Revision, string Reason)> _notRecorded;

    /// <summary>Creates the pipeline over its ports.</summary>
    /// <param name="rules">The served rule revision, read once per request.</param>
    /// <param name="recorder">Records each decision before it is returned.</param>
    /// <param name="decisionIds">Issues decision ids.</param>
    /// <param name="clock">Server time (evaluated_at, and as_of when a request has none) and elapsed times.</param>
    /// <param name="observers">Told of every outcome (metrics); may be empty.</param>
    /// <param name="log">The decision log.</param>
    /// <param name="options">Tuning; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">The not-recorded log interval is not positive.</exception>
    public DecisionPipeline(
        IRuleRevisionSource rules,
        IDecisionRecorder recorder,
        IDecisionIdSource decisionIds,
        TimeProvider clock,
        IEnumerable<IDecisionObserver> observers,
        ILogger<DecisionPipeline> log,
        DecisionPipelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(decisionIds);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(observers);
        ArgumentNullException.ThrowIfNull(log);
        _rules = rules;
        _recorder = recorder;
        _decisionIds = decisionIds;
        _clock = clock;
        _observers = [.. observers];
        _log = log;
        options ??= new DecisionPipelineOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.NotRecordedLogInterval, TimeSpan.Zero, nameof(options));
        // The store's failure is logged by its writer; each decision refused meanwhile is not a line of its own: the
        // first after a quiet interval in full (105), then one count per interval with the latest (108).
        var seconds = options.NotRecordedLogInterval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        _notRecorded = new(
            clock,
            options.NotRecordedLogInterval,
            (count, latest) => DecisionLog.StillNotRecorded(log, count, latest.DecisionId, latest.Revision, latest.Reason, seconds),
            first => DecisionLog.NotRecorded(log, first.DecisionId, first.Revision, first.Reason));
    }

    /// <summary>
    /// Logs the count of decisions not recorded since the last report (108), when any are, so that a stop during a
    /// store failure does not lose the last interval's count; the host disposes the pipeline as it stops.
    /// </summary>
    public void Dispose() => _notRecorded.Dispose();

    /// <summary>Decides <paramref name="request"/> for <paramref name="caller"/> on the revision served now.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (between rules, or while recording).</exception>
    public ValueTask<DecisionOutcome> DecideAsync(UnvalidatedRequest request, Caller caller, CancellationToken cancellationToken) =>
        DecideAsync(_rules.Current, request, caller, cancellationToken);

    /// <summary>
    /// Decides <paramref name="request"/> on <paramref name="revision"/>, a snapshot the transport read from the
    /// <see cref="IRuleRevisionSource"/> because it needed the revision before it could build the request (a FHIR
    /// mapping asks the revision's catalog which coding to send); null answers <see cref="UnavailableReason.RuleSetUnavailable"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (between rules, or while recording).</exception>
    public async ValueTask<DecisionOutcome> DecideAsync(SafetyChecker? revision, UnvalidatedRequest request, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = _clock.GetTimestamp();
        if (revision is null)
        {
            DecisionLog.NoRuleSet(_log);
            return Report(new Unavailable(UnavailableReason.RuleSetUnavailable, "No valid rule set is loaded; nothing can be decided until one is."), _clock.GetElapsedTime(started));
        }

        var checkOutcome = revision.Check(request, cancellationToken);
        if (!checkOutcome.IsValid)
        {
            DecisionLog.Rejected(_log, checkOutcome.Violations.Count, FieldList(checkOutcome.Violations), revision.RuleSet.Identity.Revision);
            return Report(new Rejected(checkOutcome.Violations), _clock.GetElapsedTime(started));
        }

        var assessment = checkOutcome.Assessment;
        var decisionId = _decisionIds.Next();
        var evaluatedAt = _clock.GetUtcNow();
        var revisionId = assessment.Ruleset.Revision;
        LogRuleErrors(decisionId, assessment);
        DecisionReceipt? receipt;
        using var span = SafetyCheckTelemetry.ActivitySource.StartActivity(SafetyCheckTelemetry.RecordSpan);
        if (span is not null)
        {
            span.SetTag(SafetyCheckTelemetry.DecisionIdAttribute, decisionId);
            span.SetTag(SafetyCheckTelemetry.RevisionAttribute, revisionId);
            span.SetTag(SafetyCheckTelemetry.VerdictAttribute, EnumNames.Of(assessment.Suitability));
        }

        try
        {
            receipt = await _recorder.RecordAsync(revision.RuleSet, assessment, decisionId, caller, evaluatedAt, cancellationToken).ConfigureAwait(false);
        }
        catch (DecisionNotRecordedException ex)
        {
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "not recorded");
            _notRecorded.Refused((decisionId, revisionId, ex.Message));
            return Report(new Unavailable(UnavailableReason.AuditUnavailable, "The decision could not be recorded in the audit trail, so it is not answered; try again later."), _clock.GetElapsedTime(started));
        }
        catch (RecordingCancelledException ex) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up while the record was with the store. A decision counts once it is in the trail,
            // whether or not anyone is still waiting for it, so it is reported to the observers when, and only when,
            // the recorder says the record was committed; one dropped before it was written is not counted. The
            // elapsed time is to the commit, as for any decision.
            DecisionLog.Cancelled(_log, decisionId, revisionId);
            _ = ReportWhenRecordedAsync(ex.Recorded, assessment, decisionId, evaluatedAt, started);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled before the record reached the store (or by a recorder that cannot tell): nothing was recorded
            // that this pipeline could know of, so nothing is counted.
            DecisionLog.Cancelled(_log, decisionId, revisionId);
            throw;
        }

        var elapsed = _clock.GetElapsedTime(started);
        DecisionLog.Decided(_log, decisionId, EnumNames.Of(assessment.Suitability), assessment.Precautions.Count, revisionId, elapsed.TotalMilliseconds);
        return Report(new Decided(assessment, decisionId, evaluatedAt, receipt), elapsed);
    }

    /// <summary>
    /// Reports a decision whose caller cancelled once <paramref name="recorded"/> shows its record committed; a record
    /// that failed is logged (109) and not reported. Never faults: it runs unobserved.
    /// </summary>
    private async Task ReportWhenRecordedAsync(Task<DecisionReceipt?> recorded, Assessment assessment, string decisionId, DateTimeOffset evaluatedAt, long started)
    {
        DecisionReceipt? receipt;
        try
        {
            receipt = await recorded.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Dropped from the queue before it was written: not a decision, and nothing went wrong.
            return;
        }
        catch (DecisionNotRecordedException ex)
        {
            // The store failed or refused the record: not a decision (the store's failure is logged by its writer).
            DecisionLog.NotRecordedAfterCancel(_log, decisionId, assessment.Ruleset.Revision, ex.Message, null);
            return;
        }
        catch (Exception ex)
        {
            // Any other failure of the record (this task is never awaited, so nothing else would observe it): not a
            // decision either, logged with its exception.
            DecisionLog.NotRecordedAfterCancel(_log, decisionId, assessment.Ruleset.Revision, ex.Message, ex);
            return;
        }

        Report(new Decided(assessment, decisionId, evaluatedAt, receipt), _clock.GetElapsedTime(started));
    }

    /// <summary>Logs each rule that failed at request time (the verdict already fails closed to clinician review).</summary>
    private void LogRuleErrors(string decisionId, Assessment assessment)
    {
        var trace = assessment.Trace;
        for (var i = 0; i < trace.Count; i++)
        {
            if (trace[i].Error is { } error)
            {
                DecisionLog.RuleFailed(_log, decisionId, trace[i].RuleId, assessment.Ruleset.Revision, error);
            }
        }
    }

    /// <summary>Tells every observer of <paramref name="outcome"/>; an observer's failure is logged and changes nothing.</summary>
    private DecisionOutcome Report(DecisionOutcome outcome, TimeSpan elapsed)
    {
        foreach (var observer in _observers)
        {
            try
            {
                switch (outcome)
                {
                    case Decided decided:
                        observer.Decided(decided, elapsed);
                        break;
                    case Rejected rejected:
                        observer.Rejected(rejected, elapsed);
                        break;
                    case Unavailable unavailable:
                        observer.Unavailable(unavailable, elapsed);
                        break;
                }
            }
            catch (Exception ex)
            {
                DecisionLog.ObserverFailed(_log, ex);
            }
        }

        return outcome;
    }

    private static string FieldList(IReadOnlyList<FieldViolation> violations) =>
        string.Join(", ", violations.Select(v => v.Field).Distinct(StringComparer.Ordinal));
}
