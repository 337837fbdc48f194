using System.Globalization;
using SafetyCheck.Audit;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.RuleSuite;
using SafetyCheck.RuleSets;

namespace SafetyCheck.Cli;

/// <summary>
/// <c>report [--rules DIR] [--audit-db FILE] [--from DATE] [--to DATE] --output FILE.html</c>: the traceability
/// report a clinical safety officer signs a release off with (see <see cref="TraceabilityReport"/>).
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var rules = CliOptions.Rules();
        var database = AuditCliOptions.Database();
        var from = AuditCliOptions.Value("--from", "Count decisions recorded at or after this time: YYYY-MM-DD (midnight UTC) or RFC 3339.", "TIME");
        var to = AuditCliOptions.Value("--to", "Count decisions recorded before this time (exclusive): YYYY-MM-DD (midnight UTC) or RFC 3339.", "TIME");
        var output = new Option<string?>("--output")
        {
            Description = "The HTML file to write (required).",
            HelpName = "FILE.html",
        };
        var verbose = CliOptions.Verbose();
        var command = new Command("report", """
            Writes the traceability report of a rule set as one self-contained HTML page (no external assets, no
            script; prints on A4): for each rule, the row of the policy document it implements (the tables'
            'rule ids' column, as check cross-checks it), its cases and whether they pass, its citations and
            evidence grade, and how often it fired in the decisions recorded in the audit trail over the period,
            overall and per rule revision, with the rules that never fired flagged; then the review's errors and a
            sign-off block. What a clinical safety officer reviews and signs before a release.
            The audit trail is read as the audit verbs read it (read-only, no lock, while serve runs). Without one at
            the default path the report is written without firing counts (said on stderr and in the report); an
            --audit-db that does not exist is an error. Each decision read is checked as 'audit show' checks one: one
            changed after it was recorded (its record no longer hashes to its entry_hash, or its row's verdict, rule
            ids, ... disagree with its record, or its prev_hash is not the entry hash of the record before it, or a
            sequence before it is missing: the entries between two decisions read are read for their links) is still
            counted as stored, and the report's audit trail line and stderr ('CHANGED: sequence N: ...', the first
            10, then a count) say so.

            Examples:
              safetycheck report --output report.html
              safetycheck report --rules rules --audit-db /var/lib/safetycheck/audit.db \
                --from 2026-01-01 --to 2026-04-01 --output release-1.2.0-report.html

            Exit codes: 0 written; 2 written, but a decision read was changed after it was recorded, or a bad
            argument (no --output, a bad date, --to not after --from); 1 cannot run (invalid rule set, unreadable
            audit database, the file cannot be written).
            """)
        {
            rules,
            database,
            from,
            to,
            output,
            verbose,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(environment, parse, new ReportArguments(
            parse.GetValue(rules), parse.GetValue(database), parse.GetValue(from), parse.GetValue(to), parse.GetValue(output), parse.GetValue(verbose)), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment environment, ParseResult parse, ReportArguments arguments, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        DateTimeOffset? from;
        DateTimeOffset? to;
        try
        {
            from = AuditArguments.Time("--from", arguments.From);
            to = AuditArguments.Time("--to", arguments.To);
        }
        catch (AuditUsageException ex)
        {
            return await BadCommandLine.RejectAsync(parse, ex.Message).ConfigureAwait(false);
        }

        if (string.IsNullOrWhiteSpace(arguments.Output) || (from is { } start && to is { } end && end <= start))
        {
            return await BadCommandLine.RejectAsync(parse, string.IsNullOrWhiteSpace(arguments.Output)
                ? "--output: give the HTML file to write, e.g. --output report.html"
                : "--to: must be after --from (from is inclusive, to exclusive)").ConfigureAwait(false);
        }

        var configuration = SafetyCheckConfiguration.Build();
        var directory = RulesDirectory.Resolve(arguments.Rules, configuration);
        await using var services = environment.Composition.BuildServices(configuration, environment, arguments.Verbose);
        var load = services.GetRequiredService<RuleSetProvider>().Load(directory);
        if (!load.Succeeded)
        {
            RuleSetReport.WriteDiagnostics(error, directory, load.Diagnostics, environment.Colours.Error);
            return ExitCodes.CannotRun;
        }

        var ruleSet = load.RuleSet;
        var suite = services.GetRequiredService<RuleSuiteRunner>().Run(ruleSet);
        IReadOnlyList<Diagnostic> review = [.. suite.Diagnostics, .. CheckCommand.UncoveredRules(ruleSet, suite), .. CheckCommand.Review(ruleSet)];
        IReadOnlyList<PolicyRow> rows;
        try
        {
            rows = RuleSetReview.ReadPolicyText(ruleSet) is { } policy ? PolicyDocumentChecker.ReadRows(policy) : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"cannot read the policy document: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.CannotRun;
        }

        var paths = AuditPaths.Resolve(arguments.Database, configuration);
        RuleFiringCounts? usage = null;
        var changed = new ChangedRows(); // stays empty when there is no trail to read
        string trail;
        if (!File.Exists(paths.DatabasePath))
        {
            if (arguments.Database is not null)
            {
                await error.WriteLineAsync($"cannot read the audit trail: no database at {paths.DatabasePath}").ConfigureAwait(false);
                return ExitCodes.CannotRun;
            }

            trail = $"none at {paths.DatabasePath}: how often each rule fired is not shown";
            await error.WriteLineAsync($"no audit trail at {paths.DatabasePath}: the report shows no firing counts (give --audit-db)").ConfigureAwait(false);
        }
        else
        {
            try
            {
                var reader = new SqliteAuditReader(paths.DatabasePath);

                // Decisions only, as listed: the entries between two decisions (and a row deleted there) are read for
                // their links from the one chain of the SQLite file.
                changed = new ChangedRows(_ => reader);
                usage = await RuleFiringCounts.ReadAsync(reader, from, to, changed, cancellationToken).ConfigureAwait(false);
                trail = changed.Summary() is { } warning ? $"{paths.DatabasePath}: CHANGED: {warning}" : paths.DatabasePath;
            }
            catch (AuditStoreUnavailableException ex)
            {
                await error.WriteLineAsync($"cannot read the audit trail: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.CannotRun;
            }
        }

        var html = TraceabilityReport.Render(new TraceabilityInput(
            ruleSet, RuleSetReport.DisplayPath(directory, ""), suite, rows, review, usage, trail, from, to, TimeProvider.System.GetUtcNow()));
        try
        {
            var file = Path.GetFullPath(arguments.Output);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await FileReplacement.ReplaceAsync(file, html, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"--output: cannot write {arguments.Output}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.CannotRun;
        }

        var never = usage is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $", {usage.Decisions} decisions in the period, {ruleSet.Rules.Count(r => usage.Fired(r.RuleId) == 0)} rules never fired");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"wrote {arguments.Output}: {ruleSet.Rules.Count} rules, {suite.Cases.Count} cases ({suite.Passed} passed, {suite.Failed} failed){never}")).ConfigureAwait(false);
        return await changed.ReportAsync(error, "counted as stored, and the report says so").ConfigureAwait(false) ? ExitCodes.Rejected : ExitCodes.Ok;
    }

    private sealed record ReportArguments(string? Rules, string? Database, string? From, string? To, string? Output, bool Verbose);
}
