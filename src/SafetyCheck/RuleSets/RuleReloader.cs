using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.RuleSuite;
using SafetyCheck.Telemetry;

namespace SafetyCheck.RuleSets;

/// <summary>
/// Hot reload: reads the rule directory into memory in one pass (<see cref="RuleDirectorySnapshot"/>), loads the
/// candidate from those bytes, runs every rule case and the review on it (<see cref="CandidateVetting"/>), archives its
/// revision, records the reload, and only then serves it (<see cref="RuleSetProvider.Serve"/>: one reference swap that
/// each decision reads once). A candidate that fails any step never serves; the revision before it keeps answering.
/// Every reload is recorded in the audit trail except a file watch that found the served revision unchanged or the
/// same refused candidate again. One reload at a time; a caller waits for the one under way. Thread-safe.
/// </summary>
internal sealed class RuleReloader(
    RuleSetProvider provider,
    RuleSetLoadingOptions loading,
    RuleSuiteRunner runner,
    IReloadJournal journal,
    TimeProvider clock,
    ILogger<RuleReloader> log,
    SafetyCheckMetrics? metrics = null) : IDisposable
{
    /// <summary>How a refusal only because the trail could not take the candidate starts its one diagnostic.</summary>
    public const string StoreRefusal = "the audit trail could not archive the revision or record the reload, so it does not serve";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile ReloadReport? _last;

    /// <summary>The latest reload since the service started; null before any.</summary>
    public ReloadReport? Last => _last;

    /// <summary>Reloads the configured rule directory.</summary>
    /// <param name="trigger">What asked.</param>
    /// <param name="caller">The caller's name for <see cref="ReloadTrigger.Caller"/>; null for a file watch.</param>
    /// <param name="cancellationToken">Stops waiting for a reload under way; a reload that started runs to its end.</param>
    public async Task<ReloadReport> ReloadAsync(ReloadTrigger trigger, string? caller, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Loading, running the cases and archiving must not stop half way because one caller went away.
            var report = await ReloadLockedAsync(trigger, caller).ConfigureAwait(false);
            _last = report;
            metrics?.RecordReload(report.Outcome switch
            {
                ReloadOutcome.Served => "served",
                ReloadOutcome.Refused => "refused",
                _ => "unchanged",
            });
            return report;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<ReloadReport> ReloadLockedAsync(ReloadTrigger trigger, string? caller)
    {
        var started = clock.GetTimestamp();
        var previous = provider.Current;
        var previousRevision = previous?.RuleSet.Identity.Revision;
        RuleDirectorySnapshot snapshot;
        try
        {
            snapshot = RuleDirectorySnapshot.Read(loading.Directory);
        }
        catch (RuleDirectoryUnreadableException ex)
        {
            // A link to a folder, a file that could not be read, a limit passed: each named by its path. No revision.
            return await RefuseAsync(trigger, caller, "", previous, ex.Problems, null, started).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return await RefuseAsync(trigger, caller, "", previous, [new Diagnostic(".", 0, 0, $"cannot read the rule directory: {ex.Message}")], null, started).ConfigureAwait(false);
        }

        var revision = snapshot.Revision;
        if (revision == previousRevision)
        {
            var unchanged = Report(ReloadOutcome.Unchanged, trigger, caller, revision, previous, previousRevision, [], null, started);
            RulesLog.ReloadUnchanged(log, revision, Name(trigger));
            return trigger == ReloadTrigger.Caller ? await RecordAsync(unchanged, previous).ConfigureAwait(false) : unchanged;
        }

        if (trigger == ReloadTrigger.FileWatch && _last is { Outcome: ReloadOutcome.Refused, RefusedForTheStore: false } last
            && last.CandidateRevision == revision && last.PreviousRevision == previousRevision)
        {
            // The same broken files seen again (a touch, or the poll after a watch event): refused already, recorded once.
            // Files refused only because the store failed are tried again: the store may be back.
            return last;
        }

        RulesLog.ReloadVetting(log, revision, Name(trigger), snapshot.RevisionFiles.Count, snapshot.CaseFiles.Count);
        var vetting = await Task.Run(() => CandidateVetting.Vet(snapshot, runner)).ConfigureAwait(false);
        if (!vetting.Passed)
        {
            return await RefuseAsync(trigger, caller, revision, previous, vetting.Problems, vetting.Suite, started).ConfigureAwait(false);
        }

        SafetyChecker candidate;
        try
        {
            candidate = provider.CreateChecker(vetting.RuleSet!);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RulesLog.WarmUpFailed(log, ex, loading.Directory);
            return await RefuseAsync(trigger, caller, revision, previous, [new Diagnostic(".", 0, 0, $"the rule set loaded but its engine could not be built: {ex.Message}")], vetting.Suite, started).ConfigureAwait(false);
        }

        var served = Report(ReloadOutcome.Served, trigger, caller, revision, candidate, previousRevision, [], vetting.Suite, started);
        try
        {
            // Archived and recorded before it answers anything, so every decision it makes can be replayed.
            await journal.ArchiveAsync(candidate.RuleSet, CancellationToken.None).ConfigureAwait(false);
            var receipt = await journal.RecordAsync(served, candidate.RuleSet, CancellationToken.None).ConfigureAwait(false);
            served = served with { Receipt = receipt };
        }
        catch (ReloadNotRecordedException ex)
        {
            RulesLog.ReloadNotRecorded(log, revision, ex.Message);
            var refused = await RefuseAsync(trigger, caller, revision, previous, [new Diagnostic(".", 0, 0, $"{StoreRefusal}: {ex.Message}")], vetting.Suite, started).ConfigureAwait(false);
            return refused with { RefusedForTheStore = true };
        }

        provider.Serve(candidate);
        var identity = candidate.RuleSet.Identity;
        RulesLog.ReloadServed(log, identity.Name, identity.Version, identity.Revision, previousRevision ?? "none", Name(trigger), served.CasesRun, (long)served.Elapsed.TotalMilliseconds);
        RulesLog.ServingWithWarnings(log, identity, vetting.Warnings);
        return served;
    }

    private async Task<ReloadReport> RefuseAsync(
        ReloadTrigger trigger, string? caller, string candidateRevision, SafetyChecker? previous, IReadOnlyList<Diagnostic> problems, RuleSuiteReport? suite, long started)
    {
        var report = Report(ReloadOutcome.Refused, trigger, caller, candidateRevision, previous, previous?.RuleSet.Identity.Revision, problems, suite, started);
        var serving = previous?.RuleSet.Identity.Revision ?? "none";
        if (candidateRevision.Length == 0)
        {
            RulesLog.ReloadUnreadable(log, Name(trigger), problems.Count, serving);
        }
        else
        {
            RulesLog.ReloadRefused(log, candidateRevision, Name(trigger), problems.Count, serving);
        }

        RulesLog.ReloadDiagnostics(log, problems);

        return await RecordAsync(report, previous).ConfigureAwait(false);
    }

    private async Task<ReloadReport> RecordAsync(ReloadReport report, SafetyChecker? serving)
    {
        try
        {
            return report with { Receipt = await journal.RecordAsync(report, serving?.RuleSet, CancellationToken.None).ConfigureAwait(false) };
        }
        catch (ReloadNotRecordedException ex)
        {
            RulesLog.ReloadNotRecorded(log, report.CandidateRevision, ex.Message);
            return report;
        }
    }

    private ReloadReport Report(
        ReloadOutcome outcome, ReloadTrigger trigger, string? caller, string candidateRevision, SafetyChecker? serving, string? previousRevision,
        IReadOnlyList<Diagnostic> problems, RuleSuiteReport? suite, long started) =>
        new(outcome, trigger, trigger == ReloadTrigger.Caller ? caller ?? "anonymous" : null, candidateRevision, serving?.RuleSet.Identity, previousRevision, problems,
            suite?.Cases.Count ?? 0, suite?.Failed ?? 0, clock.GetUtcNow(), clock.GetElapsedTime(started));

    private static string Name(ReloadTrigger trigger) => trigger == ReloadTrigger.Caller ? "caller" : "file watch";
}
