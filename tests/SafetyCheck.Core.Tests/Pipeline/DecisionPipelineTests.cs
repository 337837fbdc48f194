using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Tests.Support;

namespace SafetyCheck.Core.Tests.Pipeline;

public sealed class DecisionPipelineTests
{
    private const string DecisionId = "01900000-0000-7000-8000-000000000001";
    private const string PatientRef = "MRN-20-5531";

    /// <summary>The count a "not recorded" report (108) gives: "… since the last report: N more, …".</summary>
    private static long CountOf(string message)
    {
        const string Before = "since the last report: ";
        var start = message.IndexOf(Before, StringComparison.Ordinal) + Before.Length;
        return long.Parse(message[start..message.IndexOf(" more", start, StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }

    private static readonly string Fever = Fixtures.Rule("fever", "child.Has(\"fever\")", conditions: "\"fever\"");
    private static readonly string Info = Fixtures.Rule("school-age-note", "child.AgeYears >= 3", "SUITABLE", "INFO");
    private static readonly string Throwing = Fixtures.Rule("overflows", "child.AgeDays >= 0 && 0.0m - 79228162514264337593543950335.0m - 1.0m < 0.0m", "SUITABLE", "INFO");

    private static readonly Lazy<SafetyChecker> Default = new(() => Checker(Fever, Info));

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 11, 0, 0, TimeSpan.Zero));
    private readonly ListLogger<DecisionPipeline> _log = new();
    private readonly RecordingObserver _observer = new();

    [Fact]
    public async Task Decide_ValidRequest_RecordsThenAnswersWithIdTimeAndReceipt()
    {
        var recorder = new FakeRecorder();
        var pipeline = Pipeline(new FixedRevision(Default.Value), recorder);

        var outcome = await pipeline.DecideAsync(Request("R50.9"), new Caller("physio-app"), CancellationToken.None);

        var decided = Assert.IsType<Decided>(outcome);
        Assert.Equal(Suitability.NotSuitable, decided.Assessment.Suitability);
        Assert.Equal(DecisionId, decided.DecisionId);
        Assert.Equal(_clock.GetUtcNow(), decided.EvaluatedAt);
        Assert.Equal(new DecisionReceipt(7, "hash"), decided.Receipt);
        var recorded = Assert.Single(recorder.Calls);
        Assert.Same(Default.Value.RuleSet, recorded.RuleSet);
        Assert.Same(decided.Assessment, recorded.Assessment);
        Assert.Equal((DecisionId, "physio-app", _clock.GetUtcNow()), (recorded.DecisionId, recorded.Caller.Name, recorded.DecidedAt));
        Assert.Single(_observer.Decided);
    }

    [Fact]
    public async Task Decide_ValidRequest_LogsOneLineWithIdVerdictRevisionAndNoPatientData()
    {
        var pipeline = Pipeline(new FixedRevision(Default.Value), new NonRecordingRecorder());

        await pipeline.DecideAsync(Request("R50.9"), Caller.Anonymous, CancellationToken.None);

        var line = Assert.Single(_log.Entries);
        Assert.Equal((LogLevel.Information, 101), (line.Level, line.EventId));
        Assert.Contains(DecisionId, line.Message, StringComparison.Ordinal);
        Assert.Contains("NOT_SUITABLE", line.Message, StringComparison.Ordinal);
        Assert.Contains(Default.Value.RuleSet.Identity.Revision, line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PatientRef, line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("2020-05-01", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_NonRecordingRecorder_DecidesWithoutReceipt()
    {
        var outcome = await Pipeline(new FixedRevision(Default.Value), new NonRecordingRecorder()).DecideAsync(Request(), Caller.Anonymous, CancellationToken.None);

        Assert.Null(Assert.IsType<Decided>(outcome).Receipt);
    }

    [Fact]
    public async Task Decide_InvalidRequest_RejectsWithEveryViolationAndRecordsNothing()
    {
        var recorder = new FakeRecorder();
        var request = Request() with { Patient = new UnvalidatedPatient { BirthDate = "2020-13-45", GestationalAgeAtBirth = (50, 0) } };

        var outcome = await Pipeline(new FixedRevision(Default.Value), recorder).DecideAsync(request, Caller.Anonymous, CancellationToken.None);

        var rejected = Assert.IsType<Rejected>(outcome);
        Assert.Equal(["patient.birth_date", "patient.gestational_age_at_birth.weeks"], rejected.Violations.Select(v => v.Field));
        Assert.Empty(recorder.Calls);
        Assert.Single(_observer.Rejected);
        Assert.Equal(102, Assert.Single(_log.Entries).EventId);
    }

    [Fact]
    public async Task Decide_NoRuleSet_IsUnavailableRuleSetAndRecordsNothing()
    {
        var recorder = new FakeRecorder();

        var outcome = await Pipeline(new FixedRevision(null), recorder).DecideAsync(Request(), Caller.Anonymous, CancellationToken.None);

        var unavailable = Assert.IsType<Unavailable>(outcome);
        Assert.Equal((UnavailableReason.RuleSetUnavailable, "RULESET_UNAVAILABLE"), (unavailable.Reason, unavailable.Code));
        Assert.Empty(recorder.Calls);
        Assert.Single(_observer.Unavailable);
    }

    [Fact]
    public async Task Decide_RecorderCannotRecord_IsUnavailableAuditWithNoVerdict()
    {
        var recorder = new FakeRecorder { Failure = new DecisionNotRecordedException("disk full") };

        var outcome = await Pipeline(new FixedRevision(Default.Value), recorder).DecideAsync(Request("R50.9"), Caller.Anonymous, CancellationToken.None);

        var unavailable = Assert.IsType<Unavailable>(outcome);
        Assert.Equal((UnavailableReason.AuditUnavailable, "AUDIT_UNAVAILABLE"), (unavailable.Reason, unavailable.Code));
        Assert.DoesNotContain("NOT_SUITABLE", unavailable.Message, StringComparison.Ordinal);
        var line = Assert.Single(_log.Entries);
        Assert.Equal(105, line.EventId);
        Assert.Contains(DecisionId, line.Message, StringComparison.Ordinal);
        Assert.Contains("disk full", line.Message, StringComparison.Ordinal);
        Assert.Empty(_observer.Decided);
        Assert.Single(_observer.Unavailable);
    }

    [Fact]
    public async Task Decide_StoreFailsForManyCalls_LogsTheFirstAtOnceThenOneCountPerInterval()
    {
        var recorder = new FakeRecorder { Failure = new DecisionNotRecordedException("disk full") };
        var ids = new CountingIds();
        var pipeline = new DecisionPipeline(
            new FixedRevision(Default.Value), recorder, ids, _clock, [_observer], _log, new DecisionPipelineOptions { NotRecordedLogInterval = TimeSpan.FromSeconds(10) });

        // 1,000 refused calls in 25 s, one every 25 ms; then the store is quiet.
        for (var i = 0; i < 1000; i++)
        {
            Assert.IsType<Unavailable>(await pipeline.DecideAsync(Request("R50.9"), Caller.Anonymous, CancellationToken.None));
            _clock.Advance(TimeSpan.FromMilliseconds(25));
        }

        _clock.Advance(TimeSpan.FromSeconds(10));

        // Every call is still answered unavailable and reported; the log has the first in full and a count per interval.
        Assert.Equal(1000, _observer.Unavailable.Count);
        var lines = _log.Entries;
        Assert.Equal([105, 108, 108, 108], lines.Select(l => l.EventId));
        Assert.All(lines, l => Assert.Equal(LogLevel.Warning, l.Level));
        Assert.Contains(ids.Issued[0], lines[0].Message, StringComparison.Ordinal);
        Assert.Contains("disk full", lines[0].Message, StringComparison.Ordinal);
        var counts = lines.Skip(1).Select(l => CountOf(l.Message)).ToList();
        Assert.Equal(999, counts.Sum());
        Assert.All(counts, c => Assert.InRange(c, 1, 401));
        Assert.Contains($"the latest: decision {ids.Issued[^1]} of revision {Default.Value.RuleSet.Identity.Revision} (disk full)", lines[^1].Message, StringComparison.Ordinal);
        Assert.Contains("reported at most once every 10 s", lines[^1].Message, StringComparison.Ordinal);

        // After a quiet interval, the next one is logged at once and in full again.
        _clock.Advance(TimeSpan.FromSeconds(30));
        await pipeline.DecideAsync(Request("R50.9"), Caller.Anonymous, CancellationToken.None);

        var again = _log.Entries[^1];
        Assert.Equal(5, _log.Entries.Count);
        Assert.Equal(105, again.EventId);
        Assert.Contains(ids.Issued[^1], again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_DuringAStoreFailure_LogsTheCountNotYetReported()
    {
        var recorder = new FakeRecorder { Failure = new DecisionNotRecordedException("disk full") };
        var pipeline = new DecisionPipeline(
            new FixedRevision(Default.Value), recorder, new CountingIds(), _clock, [_observer], _log, new DecisionPipelineOptions { NotRecordedLogInterval = TimeSpan.FromSeconds(10) });
        for (var i = 0; i < 4; i++)
        {
            await pipeline.DecideAsync(Request("R50.9"), Caller.Anonymous, CancellationToken.None);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        // The host stops 4 s into the interval: the three refused since the first are counted as it does.
        pipeline.Dispose();

        Assert.Equal([105, 108], _log.Entries.Select(l => l.EventId));
        Assert.Equal(3, CountOf(_log.Entries[1].Message));
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(2, _log.Entries.Count);
    }

    [Fact]
    public void Create_NotRecordedLogIntervalNotPositive_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DecisionPipeline(
            new FixedRevision(Default.Value), new FakeRecorder(), new FixedIds(), _clock, [], _log, new DecisionPipelineOptions { NotRecordedLogInterval = TimeSpan.Zero }));

    [Fact]
    public async Task Decide_RuleFailsAtRequestTime_LogsTheRuleIdAndFailsClosed()
    {
        var pipeline = Pipeline(new FixedRevision(Checker(Info, Throwing)), new NonRecordingRecorder());

        var outcome = await pipeline.DecideAsync(Request(), Caller.Anonymous, CancellationToken.None);

        Assert.Equal(Suitability.ClinicianReviewRequired, Assert.IsType<Decided>(outcome).Assessment.Suitability);
        var warning = Assert.Single(_log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal(104, warning.EventId);
        Assert.Contains("rule overflows", warning.Message, StringComparison.Ordinal);
        Assert.Contains(DecisionId, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_RevisionSwappedWhileRecording_TheDecisionKeepsTheRevisionItStartedWith()
    {
        var before = Default.Value;
        var after = Checker(Fever, Info, Throwing);
        var source = new FixedRevision(before);
        var recorder = new FakeRecorder { OnRecord = () => source.Current = after };

        var outcome = await Pipeline(source, recorder).DecideAsync(Request(), Caller.Anonymous, CancellationToken.None);

        var decided = Assert.IsType<Decided>(outcome);
        Assert.Equal(before.RuleSet.Identity, decided.Assessment.Ruleset);
        Assert.Same(before.RuleSet, Assert.Single(recorder.Calls).RuleSet);
        Assert.Same(after, source.Current);
    }

    [Fact]
    public async Task Decide_GivenRevision_DecidesOnItWhateverIsServed()
    {
        var given = Checker(Fever, Info, Throwing);

        var outcome = await Pipeline(new FixedRevision(Default.Value), new NonRecordingRecorder()).DecideAsync(given, Request(), Caller.Anonymous, CancellationToken.None);

        Assert.Equal(given.RuleSet.Identity, Assert.IsType<Decided>(outcome).Assessment.Ruleset);
    }

    [Fact]
    public async Task Decide_ObserverThrows_OutcomeUnchangedAndFailureLogged()
    {
        var pipeline = new DecisionPipeline(new FixedRevision(Default.Value), new NonRecordingRecorder(), new FixedIds(), _clock, [new ThrowingObserver(), _observer], _log);

        var outcome = await pipeline.DecideAsync(Request(), Caller.Anonymous, CancellationToken.None);

        Assert.IsType<Decided>(outcome);
        Assert.Single(_observer.Decided);
        Assert.Contains(_log.Entries, e => e.EventId == 107 && e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task Decide_CancelledWhileRecording_PropagatesAndIsLogged()
    {
        using var cancellation = new CancellationTokenSource();
        var recorder = new FakeRecorder { OnRecord = cancellation.Cancel };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await Pipeline(new FixedRevision(Default.Value), recorder).DecideAsync(Request(), Caller.Anonymous, cancellation.Token));

        Assert.Contains(_log.Entries, e => e.EventId == 106);
        Assert.Empty(_observer.Decided);
    }

    [Fact]
    public async Task Decide_CancelledAfterTheRecordReachedTheStore_CountedOnceItCommits_NotBefore()
    {
        using var cancellation = new CancellationTokenSource();
        var committed = new TaskCompletionSource<DecisionReceipt?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var recorder = new CancellingRecorder(cancellation, committed.Task);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await Pipeline(new FixedRevision(Default.Value), recorder).DecideAsync(Request(), Caller.Anonymous, cancellation.Token));
        Assert.Empty(_observer.Decided);

        committed.SetResult(new DecisionReceipt(9, "hash"));
        for (var i = 0; i < 500 && _observer.Decided.Count == 0; i++)
        {
            await Task.Delay(10);
        }

        var decided = Assert.Single(_observer.Decided);
        Assert.Equal((9UL, DecisionId), (decided.Receipt!.Sequence, decided.DecisionId));
    }

    [Fact]
    public async Task Decide_CancelledAndTheRecordDroppedBeforeItWasWritten_NotCounted()
    {
        using var cancellation = new CancellationTokenSource();
        var recorder = new CancellingRecorder(cancellation, Task.FromCanceled<DecisionReceipt?>(new CancellationToken(canceled: true)));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await Pipeline(new FixedRevision(Default.Value), recorder).DecideAsync(Request(), Caller.Anonymous, cancellation.Token));
        await Task.Delay(100);

        Assert.Empty(_observer.Decided);
        Assert.Contains(_log.Entries, e => e.EventId == 106);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Decide_CancelledAndTheRecordFailedAfterwards_LoggedAndNotCounted(bool unexpected)
    {
        using var cancellation = new CancellationTokenSource();
        Exception failure = unexpected
            ? new InvalidOperationException("entry already recorded")
            : new DecisionNotRecordedException("the store is full");
        var recorder = new CancellingRecorder(cancellation, Task.FromException<DecisionReceipt?>(failure));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await Pipeline(new FixedRevision(Default.Value), recorder).DecideAsync(Request(), Caller.Anonymous, cancellation.Token));
        for (var i = 0; i < 500 && !_log.Entries.Any(e => e.EventId == 109); i++)
        {
            await Task.Delay(10);
        }

        var line = Assert.Single(_log.Entries, e => e.EventId == 109);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains($"Decision {DecisionId} of revision {Default.Value.RuleSet.Identity.Revision}", line.Message, StringComparison.Ordinal);
        Assert.Contains(failure.Message, line.Message, StringComparison.Ordinal);
        Assert.Empty(_observer.Decided);
    }

    [Fact]
    public void Match_EveryCase_CallsItsOwnFunction()
    {
        DecisionOutcome[] outcomes =
        [
            new Rejected([new("patient", "required")]),
            new Unavailable(UnavailableReason.AuditUnavailable, "down"),
        ];

        Assert.Equal(["rejected", "unavailable"], outcomes.Select(o => o.Match(_ => "decided", _ => "rejected", _ => "unavailable")));
    }

    private DecisionPipeline Pipeline(IRuleRevisionSource rules, IDecisionRecorder recorder) =>
        new(rules, recorder, new FixedIds(), _clock, [_observer], _log);

    private static UnvalidatedRequest Request(params string[] icd10) =>
        SampleRequests.Child("2020-05-01", [.. icd10.Select(c => SampleRequests.Icd(c))]) with
        {
            Patient = new UnvalidatedPatient { PatientRef = PatientRef, BirthDate = "2020-05-01", GestationalAgeAtBirth = (39, 2) },
        };

    private static SafetyChecker Checker(params string[] rules)
    {
        using var dir = TempRuleDirectory.WithRules(string.Join(",\n", rules));
        var result = RuleSetLoader.Load(dir.Path);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return new SafetyChecker(result.RuleSet, TimeProvider.System);
    }

    private sealed class FixedRevision(SafetyChecker? current) : IRuleRevisionSource
    {
        public SafetyChecker? Current { get; set; } = current;
    }

    private sealed class FixedIds : IDecisionIdSource
    {
        public string Next() => DecisionId;
    }

    private sealed class CountingIds : IDecisionIdSource
    {
        public List<string> Issued { get; } = [];

        public string Next()
        {
            Issued.Add(string.Create(CultureInfo.InvariantCulture, $"01900000-0000-7000-8000-{Issued.Count + 1:D12}"));
            return Issued[^1];
        }
    }

    private sealed record RecordCall(RuleSet RuleSet, Assessment Assessment, string DecisionId, Caller Caller, DateTimeOffset DecidedAt);

    private sealed class FakeRecorder : IDecisionRecorder
    {
        public List<RecordCall> Calls { get; } = [];

        public DecisionNotRecordedException? Failure { get; init; }

        public Action? OnRecord { get; init; }

        public ValueTask<DecisionReceipt?> RecordAsync(RuleSet ruleSet, Assessment assessment, string decisionId, Caller caller, DateTimeOffset decidedAt, CancellationToken cancellationToken)
        {
            Calls.Add(new RecordCall(ruleSet, assessment, decisionId, caller, decidedAt));
            OnRecord?.Invoke();
            cancellationToken.ThrowIfCancellationRequested();
            return Failure is null ? ValueTask.FromResult<DecisionReceipt?>(new DecisionReceipt(7, "hash")) : ValueTask.FromException<DecisionReceipt?>(Failure);
        }
    }

    /// <summary>Cancels the caller while its record is with the store, whose fate <paramref name="recorded"/> tells.</summary>
    private sealed class CancellingRecorder(CancellationTokenSource cancellation, Task<DecisionReceipt?> recorded) : IDecisionRecorder
    {
        public ValueTask<DecisionReceipt?> RecordAsync(RuleSet ruleSet, Assessment assessment, string decisionId, Caller caller, DateTimeOffset decidedAt, CancellationToken cancellationToken)
        {
            cancellation.Cancel();
            return ValueTask.FromException<DecisionReceipt?>(new RecordingCancelledException("cancelled while recording", recorded, cancellationToken));
        }
    }

    private sealed class RecordingObserver : IDecisionObserver
    {
        public List<Decided> Decided { get; } = [];

        public List<Rejected> Rejected { get; } = [];

        public List<Unavailable> Unavailable { get; } = [];

        void IDecisionObserver.Decided(Decided decision, TimeSpan elapsed) => Decided.Add(decision);

        void IDecisionObserver.Rejected(Rejected rejection, TimeSpan elapsed) => Rejected.Add(rejection);

        void IDecisionObserver.Unavailable(Unavailable unavailable, TimeSpan elapsed) => Unavailable.Add(unavailable);
    }

    private sealed class ThrowingObserver : IDecisionObserver
    {
        public void Decided(Decided decision, TimeSpan elapsed) => throw new InvalidOperationException("observer bug");

        public void Rejected(Rejected rejection, TimeSpan elapsed) => throw new InvalidOperationException("observer bug");

        public void Unavailable(Unavailable unavailable, TimeSpan elapsed) => throw new InvalidOperationException("observer bug");
    }
}
