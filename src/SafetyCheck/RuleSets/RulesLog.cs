using SafetyCheck.Core.Rules;

namespace SafetyCheck.RuleSets;

/// <summary>Log messages about loading and serving rule sets.</summary>
internal static partial class RulesLog
{
    [LoggerMessage(1, LogLevel.Information, "Loading the rule set in {Directory}")]
    public static partial void Loading(ILogger logger, string directory);

    [LoggerMessage(2, LogLevel.Information, "Loaded rule set {Name} {Version} revision {Revision}: {RuleCount} rules, compiled and warmed in {ElapsedMs} ms")]
    public static partial void Loaded(ILogger logger, string name, string version, string revision, int ruleCount, long elapsedMs);

    [LoggerMessage(3, LogLevel.Warning, "The rule set in {Directory} has {DiagnosticCount} load errors and is not served")]
    public static partial void LoadFailed(ILogger logger, string directory, int diagnosticCount);

    [LoggerMessage(4, LogLevel.Error, "The rule set in {Directory} loaded but its engine could not be built")]
    public static partial void WarmUpFailed(ILogger logger, Exception exception, string directory);

    [LoggerMessage(5, LogLevel.Error, "{Diagnostic}")]
    public static partial void Diagnostic(ILogger logger, string diagnostic);

    [LoggerMessage(6, LogLevel.Critical, "No valid rule set: stopping the service")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(7, LogLevel.Information, "Reload ({Trigger}): vetting candidate revision {Revision} ({RevisionFiles} files, {CaseFiles} case files)")]
    public static partial void ReloadVetting(ILogger logger, string revision, string trigger, int revisionFiles, int caseFiles);

    [LoggerMessage(8, LogLevel.Information, "Reload ({Trigger}): now serving {Name} {Version} revision {Revision} (was {Previous}); {CaseCount} cases passed; {ElapsedMs} ms from reading the files")]
    public static partial void ReloadServed(ILogger logger, string name, string version, string revision, string previous, string trigger, int caseCount, long elapsedMs);

    [LoggerMessage(9, LogLevel.Warning, "Reload ({Trigger}): candidate revision {Revision} refused with {ProblemCount} problems; still serving {Serving}")]
    public static partial void ReloadRefused(ILogger logger, string revision, string trigger, int problemCount, string serving);

    [LoggerMessage(23, LogLevel.Warning, "Reload ({Trigger}): the candidate could not be read, refused with {ProblemCount} problems; still serving {Serving}")]
    public static partial void ReloadUnreadable(ILogger logger, string trigger, int problemCount, string serving);

    [LoggerMessage(10, LogLevel.Debug, "Reload ({Trigger}): the rule files still hash to the served revision {Revision}")]
    public static partial void ReloadUnchanged(ILogger logger, string revision, string trigger);

    [LoggerMessage(11, LogLevel.Error, "Reload of candidate revision {Revision} could not be written to the audit trail: {Reason}")]
    public static partial void ReloadNotRecorded(ILogger logger, string revision, string reason);

    [LoggerMessage(12, LogLevel.Warning, "Watching the rule directory {Directory} failed; polling continues: {Reason}")]
    public static partial void WatchFailed(ILogger logger, string directory, string reason);

    [LoggerMessage(13, LogLevel.Information, "Watching {Directory} for rule edits (debounce {DebounceMs} ms, poll every {PollSeconds} s)")]
    public static partial void Watching(ILogger logger, string directory, int debounceMs, int pollSeconds);

    [LoggerMessage(14, LogLevel.Error, "A reload after a change of the rule directory failed unexpectedly")]
    public static partial void WatchReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(15, LogLevel.Warning, "Reload refused: {Diagnostic}")]
    public static partial void ReloadDiagnostic(ILogger logger, string diagnostic);

    [LoggerMessage(16, LogLevel.Warning, "Could not read the audit trail to see whether a reload refused revision {Revision} ({Reason}): vetting it with its cases before it serves")]
    public static partial void RefusalNotKnown(ILogger logger, string revision, string reason);

    [LoggerMessage(17, LogLevel.Information, "Revision {Revision}, refused by the latest reload recorded (or with a trail that could not say), was vetted again and passes its {Cases} cases now: it serves")]
    public static partial void RefusedRevisionNowPasses(ILogger logger, string revision, int cases);

    [LoggerMessage(18, LogLevel.Warning, "Rule set {Name} {Version} revision {Revision} serves with warnings that `safetycheck check` reports ({WarningCount}); they do not stop it serving: fix them, or run `check --warnings-as-errors` before deploying")]
    public static partial void ServingWithWarnings(ILogger logger, string name, string version, string revision, int warningCount);

    [LoggerMessage(19, LogLevel.Warning, "{Diagnostic}")]
    public static partial void ReviewWarning(ILogger logger, string diagnostic);

    [LoggerMessage(20, LogLevel.Warning, "... and {More} more warnings: run `safetycheck check` for all of them")]
    public static partial void MoreReviewWarnings(ILogger logger, int more);

    [LoggerMessage(21, LogLevel.Warning, "Could not review rule set revision {Revision} for warnings ({Reason}); it serves all the same")]
    public static partial void ReviewFailed(ILogger logger, string revision, string reason);

    [LoggerMessage(22, LogLevel.Warning, "Reload refused: ... and {More} more problems (`safetycheck check` on the same files lists them all)")]
    public static partial void MoreReloadDiagnostics(ILogger logger, int more);

    /// <summary>
    /// Most warnings logged one per line when a rule set starts serving, and most problems of a refused reload; the rest
    /// are counted.
    /// </summary>
    public const int MostWarningLines = 20;

    /// <summary>
    /// Logs the warnings a rule set serves with (what <c>check</c> would print as warnings): one summary line, then one
    /// line each, at most <see cref="MostWarningLines"/>. Nothing when there are none.
    /// </summary>
    public static void ServingWithWarnings(ILogger logger, RulesetIdentity identity, IReadOnlyList<Diagnostic> warnings)
    {
        if (warnings.Count == 0)
        {
            return;
        }

        ServingWithWarnings(logger, identity.Name, identity.Version, identity.Revision, warnings.Count);
        Capped(warnings, line => ReviewWarning(logger, line), more => MoreReviewWarnings(logger, more));
    }

    /// <summary>Logs the problems of a refused reload, one line each, at most <see cref="MostWarningLines"/>, then a count.</summary>
    public static void ReloadDiagnostics(ILogger logger, IReadOnlyList<Diagnostic> problems) =>
        Capped(problems, line => ReloadDiagnostic(logger, line), more => MoreReloadDiagnostics(logger, more));

    private static void Capped(IReadOnlyList<Diagnostic> diagnostics, Action<string> line, Action<int> more)
    {
        foreach (var diagnostic in diagnostics.Take(MostWarningLines))
        {
            line(diagnostic.ToString());
        }

        if (diagnostics.Count > MostWarningLines)
        {
            more(diagnostics.Count - MostWarningLines);
        }
    }
}
