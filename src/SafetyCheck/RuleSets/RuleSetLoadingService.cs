using SafetyCheck.Core.Rules;
using SafetyCheck.Core.RuleSuite;

namespace SafetyCheck.RuleSets;

/// <summary>
/// Loads the configured rule set once the host starts, in the background so that health answers NOT_SERVING
/// meanwhile. Serving does not run the rule cases, with one exception: when the latest reload recorded in the audit
/// trail refused the very revision loaded (a failing case, say), it is vetted again as a reload would vet it, cases
/// included, and serves only if it now passes (its cases, which the revision does not cover, may have been fixed).
/// When <see cref="RuleSetLoadingOptions.StopWhenInvalid"/> is set, an invalid or refused rule set stops the host
/// (<c>serve</c> then exits 1 with the diagnostics).
/// </summary>
internal sealed class RuleSetLoadingService(
    RuleSetProvider provider,
    RuleSetLoadingOptions options,
    IHostApplicationLifetime lifetime,
    ILogger<RuleSetLoadingService> log,
    IReloadJournal? journal = null,
    RuleSuiteRunner? runner = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.LoadOnStart)
        {
            return;
        }

        var result = journal is null || runner is null
            ? provider.Load(options.Directory)
            : await provider.LoadAsync(options.Directory, RefusalAsync, stoppingToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            if (provider.Current is { } serving)
            {
                await Task.Run(() => LogWarnings(serving.RuleSet), stoppingToken).ConfigureAwait(false);
            }

            return;
        }

        if (options.StopWhenInvalid)
        {
            // serve prints the diagnostics itself, one plain file:line:col line each, once the host has stopped.
            RulesLog.Stopping(log);
            lifetime.StopApplication();
            return;
        }

        foreach (var diagnostic in result.Diagnostics)
        {
            RulesLog.Diagnostic(log, diagnostic.ToString());
        }
    }

    /// <summary>
    /// Logs the warnings <c>check</c> would print for the rule set now serving (serving runs no review of its own), so
    /// that an operator sees, in the log of every start, what the authors were warned about.
    /// </summary>
    private void LogWarnings(RuleSet ruleSet)
    {
        IReadOnlyList<Diagnostic> findings;
        try
        {
            findings = RuleSetReview.Run(ruleSet, RuleSetReview.ReadPolicyText(ruleSet));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            RulesLog.ReviewFailed(log, ruleSet.Identity.Revision, ex.Message);
            return;
        }

        RulesLog.ServingWithWarnings(log, ruleSet.Identity, [.. findings.Where(d => !d.IsError)]);
    }

    private async Task<IReadOnlyList<Diagnostic>?> RefusalAsync(RuleSet ruleSet, CancellationToken cancellationToken)
    {
        var revision = ruleSet.Identity.Revision;
        IReadOnlyList<Diagnostic> recorded;
        try
        {
            if (await journal!.RefusalOfAsync(revision, cancellationToken).ConfigureAwait(false) is not { } refusal)
            {
                return null;
            }

            recorded = refusal;
        }
        catch (ReloadNotRecordedException ex)
        {
            // Whether a reload refused these files is unknown: they are vetted as if it had, never served unvetted.
            RulesLog.RefusalNotKnown(log, revision, ex.Message);
            recorded = [new Diagnostic(".", 0, 0, $"the audit trail could not say whether the latest reload refused revision {revision} ({ex.Message}), and it fails when vetted, so it is not served")];
        }

        // Vetted again now: the files may have changed where the revision does not look (the cases).
        CandidateVetting vetting;
        try
        {
            vetting = await Task.Run(() => CandidateVetting.Vet(RuleDirectorySnapshot.Read(options.Directory), runner!), cancellationToken).ConfigureAwait(false);
        }
        catch (RuleDirectoryUnreadableException ex)
        {
            return [recorded[0], .. ex.Problems];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [recorded[0], new Diagnostic(".", 0, 0, $"cannot read the rule directory to vet it again: {ex.Message}")];
        }

        if (vetting.Passed && vetting.RuleSet!.Identity.Revision == revision)
        {
            RulesLog.RefusedRevisionNowPasses(log, revision, vetting.Suite?.Cases.Count ?? 0);
            return null;
        }

        return [recorded[0], .. vetting.Passed ? recorded.Skip(1) : vetting.Problems];
    }
}
