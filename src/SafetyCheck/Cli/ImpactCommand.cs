using System.Diagnostics;
using System.Globalization;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Replay;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;
using SafetyCheck.RuleSets;

namespace SafetyCheck.Cli;

/// <summary>
/// <c>impact --rules DIR [--audit-db FILE] [--from DATE] [--to DATE] [--format text|json] [--examples N]</c>: what a
/// candidate rule set would change in the decisions recorded in the audit trail (<see cref="ImpactTally"/>), each
/// recorded decision's facts replayed on it and compared with the full recorded result.
/// </summary>
internal static class ImpactCommand
{
    private const int DefaultExamples = 3;

    public static Command Create(CliEnvironment environment)
    {
        var rules = CliOptions.Rules();
        var database = AuditCliOptions.Database();
        var from = AuditCliOptions.Value("--from", "Replay decisions recorded at or after this time: YYYY-MM-DD (midnight UTC) or RFC 3339.", "TIME");
        var to = AuditCliOptions.Value("--to", "Replay decisions recorded before this time (exclusive): YYYY-MM-DD (midnight UTC) or RFC 3339.", "TIME");
        var format = AuditCliOptions.Value("--format", "text (default) or json (one object on stdout, for tools).", "FORMAT");
        var examples = AuditCliOptions.Value("--examples", $"Decision ids shown per verdict change and per rule (1-100, default {DefaultExamples}).", "N");
        var command = new Command("impact", $"""
            Replays the decisions recorded in the audit trail on a candidate rule set (an edited rules/ directory)
            and prints what it would change: how many verdicts change and which way (a from → to table), how many
            decisions change in something else only (a precaution or its details, a benefit note), the rules
            responsible (those whose result, fired, not fired or errored, differs) and example decision ids to look
            up with 'audit show'. Each decision's recorded facts are evaluated on the candidate and compared with
            the decision's full recorded result (rebuilt on its own archived revision). The candidate is loaded
            strictly; its cases are not run (safetycheck test does that). The audit trail is read as the audit verbs
            read it (SQLite or PostgreSQL, read-only, while serve runs). A progress bar on a terminal (stderr);
            plain progress lines when stderr is redirected or NO_COLOR is set.

            Examples:
              safetycheck impact --rules rules
              safetycheck impact --rules ../edited/rules --from 2026-01-01 --to 2026-04-01
              safetycheck impact --rules rules --format json > impact.json

            Each decision read is checked as 'audit show' checks one; one changed after it was recorded (its record
            no longer hashes to its entry_hash, its row's columns disagree with its record, or its prev_hash is not
            the entry hash of the record before it or a sequence before it is missing: the entries between two
            decisions read are read for their links) is replayed as stored and named on stderr ('CHANGED: sequence
            N: ...', the first 10, then a count).

            Exit codes: 0 replayed (whether or not anything changes); 2 replayed, but a decision read was changed
            after it was recorded, or a bad argument (a bad date or format, --to not after --from); 1 cannot run
            (the candidate does not load, no or unreadable audit trail).
            """)
        {
            rules,
            database,
            from,
            to,
            format,
            examples,
        };
        command.SetAction((parse, cancellationToken) => AuditCliRun.RunAsync(parse, parse.GetValue(database), run =>
        {
            var start = AuditArguments.Time("--from", parse.GetValue(from));
            var end = AuditArguments.Time("--to", parse.GetValue(to));
            if (start is { } s && end is { } e && e <= s)
            {
                throw new AuditUsageException("--to: must be after --from (from is inclusive, to exclusive)");
            }

            var json = parse.GetValue(format) switch
            {
                null or "text" => false,
                "json" => true,
                var other => throw new AuditUsageException(CliOptions.NotOneOf("--format", other, "text", "json")),
            };
            var keep = AuditArguments.Count("--examples", parse.GetValue(examples), DefaultExamples, 1, 100);
            return RunAsync(environment, run, RulesDirectory.Resolve(parse.GetValue(rules), SafetyCheckConfiguration.Build()), start, end, json, keep, cancellationToken);
        }));
        return command;
    }

    private static async Task<int> RunAsync(
        CliEnvironment environment, AuditCliRun run, string directory, DateTimeOffset? from, DateTimeOffset? to, bool json, int examples, CancellationToken cancellationToken)
    {
        var load = RuleSetLoader.Load(directory);
        if (!load.Succeeded)
        {
            await run.Error.WriteLineAsync($"the candidate rule set in {directory} does not load:").ConfigureAwait(false);
            RuleSetReport.WriteDiagnostics(run.Error, directory, load.Diagnostics, environment.Colours.Error);
            return ExitCodes.CannotRun;
        }

        var candidate = new SafetyChecker(load.RuleSet, TimeProvider.System);
        var filter = new EntryFilter { From = from, To = to, PageSize = EntryFilter.MaxPageSize };
        var total = await CountAsync(run.Reader, filter, cancellationToken).ConfigureAwait(false);
        var replayer = new DecisionReplayer(run.Reader, ArchiveReads.OncePerRevision);
        var tally = new ImpactTally(examples);
        var progress = new ImpactProgress(run.Error, environment.Colours.Error, total);
        // Decisions only, as listed: the entries between two decisions (and a row deleted there) are read for their links.
        var changed = new ChangedRows(chain => chain is null ? run.Reader : run.Chains.Chain(chain));
        var clock = Stopwatch.StartNew();
        await foreach (var row in DecisionsAsync(run.Reader, filter, cancellationToken).ConfigureAwait(false))
        {
            await changed.CheckAsync(row, cancellationToken).ConfigureAwait(false);
            DecisionRecord record;
            try
            {
                record = row.ToRecord();
            }
            catch (InvalidDataException)
            {
                tally.AddUnreadable();
                continue;
            }

            var comparison = await replayer.CompareAsync(record, candidate, cancellationToken).ConfigureAwait(false);
            tally.Add(record.Content.DecisionId, record.Content.Revision, comparison);
            progress.Report(tally.Decisions + tally.Unreadable);
        }

        var elapsed = clock.Elapsed;
        progress.Done();
        var input = new ImpactReport(directory, load.RuleSet.Identity, run.StoreName, from, to, tally);
        await run.Output.WriteAsync(json ? input.ToJson() : input.ToText(environment.Colours.Output)).ConfigureAwait(false);
        var rate = elapsed.TotalSeconds > 0 ? tally.Decisions / elapsed.TotalSeconds : 0;
        await run.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"replayed {tally.Decisions:N0} decisions in {elapsed.TotalSeconds:0.0} s ({rate:N0} decisions/s)")).ConfigureAwait(false);
        return await changed.ReportAsync(run.Error, "replayed as stored").ConfigureAwait(false) ? ExitCodes.Rejected : ExitCodes.Ok;
    }

    private static async Task<long> CountAsync(IAuditReader reader, EntryFilter filter, CancellationToken cancellationToken)
    {
        long count = 0;
        await foreach (var _ in DecisionsAsync(reader, filter, cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    private static async IAsyncEnumerable<StoredEntry> DecisionsAsync(IAuditReader reader, EntryFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        do
        {
            var page = await reader.ListAsync(filter, cancellationToken).ConfigureAwait(false);
            foreach (var row in page.Items)
            {
                yield return row;
            }

            filter = filter with { PageToken = page.NextPageToken };
        }
        while (filter.PageToken is not null);
    }
}
