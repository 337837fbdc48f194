using System.Text.Json;
using SafetyCheck.Core.Audit;

namespace SafetyCheck.Cli;

/// <summary><c>audit list [--from --to --verdict --rule --revision --limit]</c>: recorded decisions, oldest first.</summary>
internal static class AuditListCommand
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1_000_000;

    public static Command Create()
    {
        var database = AuditCliOptions.Database();
        var from = AuditCliOptions.Value("--from", "Recorded at or after this time: YYYY-MM-DD (midnight UTC) or RFC 3339.", "TIME");
        var to = AuditCliOptions.Value("--to", "Recorded before this time (exclusive): YYYY-MM-DD (midnight UTC) or RFC 3339.", "TIME");
        var verdict = AuditCliOptions.Value("--verdict", "Only this verdict: SUITABLE, SUITABLE_WITH_PRECAUTIONS, CLINICIAN_REVIEW_REQUIRED, NOT_SUITABLE.", "VERDICT");
        var rule = AuditCliOptions.Value("--rule", "Only decisions in which this rule produced a precaution or a benefit note.", "RULE_ID");
        var revision = AuditCliOptions.Value("--revision", "Only decisions made on this rule revision (64 hex digits).", "REVISION");
        var limit = AuditCliOptions.Value("--limit", $"Print at most N decisions (default {DefaultLimit}).", "N");
        var command = new Command("list", $"""
            Lists recorded decisions in sequence order, one per line: sequence, decision id, recorded_at (UTC),
            verdict, rule revision (first 12 digits) and the rules that produced a precaution or benefit note.
            Filters combine (all must match). The number of decisions printed goes to stderr.

            Examples:
              safetycheck audit list --from 2026-03-01 --to 2026-03-02 --verdict NOT_SUITABLE
              safetycheck audit list --rule fever --limit 20
              safetycheck audit list --revision 2fe69a7a506934e1f353565f692e990e6561e51e009d9ca31093c20b4f6b9e46

            Exit codes: 0 listed (possibly none); 2 a bad argument; 1 cannot run (no database).
            """)
        {
            database,
            from,
            to,
            verdict,
            rule,
            revision,
            limit,
        };
        command.Action = new AuditVerbAction((parse, cancellationToken) => AuditCliRun.RunAsync(parse, parse.GetValue(database), run =>
        {
            var filter = new DecisionFilter
            {
                From = AuditArguments.Time("--from", parse.GetValue(from)),
                To = AuditArguments.Time("--to", parse.GetValue(to)),
                Verdict = AuditArguments.Verdict("--verdict", parse.GetValue(verdict)),
                RuleId = parse.GetValue(rule),
                Revision = AuditArguments.Revision("--revision", parse.GetValue(revision)),
            };
            if (filter is { From: { } start, To: { } end } && end <= start)
            {
                throw new AuditUsageException("--to: must be after --from (from is inclusive, to exclusive)");
            }

            var max = AuditArguments.Count("--limit", parse.GetValue(limit), DefaultLimit, 1, MaxLimit);
            return RunAsync(run, filter, max, cancellationToken);
        }));
        return command;
    }

    private static async Task<int> RunAsync(AuditCliRun run, DecisionFilter filter, int limit, CancellationToken cancellationToken)
    {
        var printed = 0;
        string? token = null;
        do
        {
            var page = await run.Reader.ListAsync(filter with { PageSize = Math.Min(limit - printed, DecisionFilter.MaxPageSize), PageToken = token }, cancellationToken).ConfigureAwait(false);
            foreach (var row in page.Items)
            {
                await run.Output.WriteLineAsync(Line(row)).ConfigureAwait(false);
            }

            printed += page.Items.Count;
            token = page.NextPageToken;
        }
        while (token is not null && printed < limit);

        // A next-page token means at least one more record matches.
        await run.Error.WriteLineAsync(token is not null
            ? $"{printed} decisions listed; more match: raise --limit or narrow the filters"
            : $"{printed} decision{(printed == 1 ? "" : "s")} listed").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static string Line(StoredDecision row) =>
        $"{row.Sequence,6}  {row.DecisionId}  {row.RecordedAt}  {row.Verdict,-25}  {row.Revision[..Math.Min(12, row.Revision.Length)]}  {Rules(row.RuleIds)}";

    private static string Rules(string ruleIdsJson)
    {
        try
        {
            var rules = JsonSerializer.Deserialize<string[]>(ruleIdsJson) ?? [];
            return rules.Length == 0 ? "-" : string.Join(",", rules);
        }
        catch (JsonException)
        {
            // A damaged column (verify reports it) is shown as stored.
            return ruleIdsJson;
        }
    }
}
