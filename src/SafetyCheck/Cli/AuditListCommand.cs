using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Cli;

/// <summary><c>audit list [--from --to --verdict --rule --revision --caller --kind --limit]</c>: recorded decisions, oldest first.</summary>
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
        var rule = CliOptions.NotEmpty(AuditCliOptions.Value("--rule", "Only decisions in which this rule produced a precaution or a benefit note.", "RULE_ID"), "give a rule id, or leave the option out for every rule");
        var revision = CliOptions.NotEmpty(AuditCliOptions.Value("--revision", "Only decisions made on this rule revision (64 hex digits).", "REVISION"), "give a revision, or leave the option out for every revision");
        var caller = CliOptions.NotEmpty(AuditCliOptions.Value("--caller", "Only decisions of this caller, as recorded (its API key's or certificate's name; exact, case included).", "CALLER"), "give a caller's name, or leave the option out for every caller");
        var kind = AuditCliOptions.Value("--kind", "Only entries of this kind: decision (the default), outage, card-feedback, reload; or all. Entries other than decisions show their kind where a decision shows its verdict.", "KIND");
        var limit = AuditCliOptions.Value("--limit", $"Print at most N decisions (default {DefaultLimit}).", "N");
        var command = new Command("list", $"""
            Lists recorded decisions in sequence order, one per line: sequence, decision id, recorded_at (UTC),
            verdict, rule revision (first 12 digits) and the rules that produced a precaution or benefit note.
            Filters combine (all must match). The number of decisions printed goes to stderr. Other kinds of
            entry (--kind) show their kind in the verdict column; a reload shows 'reload' and its outcome
            (served, refused, unchanged), the candidate revision it tried, and the revision serving after it.

            Examples:
              safetycheck audit list --from 2026-03-01 --to 2026-03-02 --verdict NOT_SUITABLE
              safetycheck audit list --rule fever --limit 20
              safetycheck audit list --revision 2fe69a7a506934e1f353565f692e990e6561e51e009d9ca31093c20b4f6b9e46
              safetycheck audit list --caller scheduling-app --verdict CLINICIAN_REVIEW_REQUIRED --limit 1000000
              safetycheck audit list --kind all --from 2026-03-01

            Exit codes: 0 listed (possibly none); 2 a bad argument (such as a --kind other than those named);
            1 cannot run (no database).
            """)
        {
            database,
            from,
            to,
            verdict,
            rule,
            revision,
            caller,
            kind,
            limit,
        };
        command.SetAction((parse, cancellationToken) => AuditCliRun.RunAsync(parse, parse.GetValue(database), run =>
        {
            var filter = new EntryFilter
            {
                Kind = Kind(parse.GetValue(kind)),
                From = AuditArguments.Time("--from", parse.GetValue(from)),
                To = AuditArguments.Time("--to", parse.GetValue(to)),
                Verdict = AuditArguments.Verdict("--verdict", parse.GetValue(verdict)),
                RuleId = AuditArguments.RuleId("--rule", parse.GetValue(rule)),
                Revision = AuditArguments.Revision("--revision", parse.GetValue(revision)),
                Caller = AuditArguments.Caller("--caller", parse.GetValue(caller)),
            };
            if (filter is { From: { } start, To: { } end } && end <= start)
            {
                var day = start.UtcDateTime.Date;
                throw new AuditUsageException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"--to: must be after --from (from is inclusive, to exclusive: the one day {day:yyyy-MM-dd} is --from {day:yyyy-MM-dd} --to {day.AddDays(1):yyyy-MM-dd})"));
            }

            var max = AuditArguments.Count("--limit", parse.GetValue(limit), DefaultLimit, 1, MaxLimit);
            return RunAsync(run, filter, max, cancellationToken);
        }));
        return command;
    }

    /// <summary>The kinds --kind takes, besides all.</summary>
    private static readonly string[] Kinds = [EntryKinds.Decision, EntryKinds.Outage, EntryKinds.CardFeedback, EntryKinds.Reload];

    private static string? Kind(string? value) => value switch
    {
        null => EntryKinds.Decision,
        "all" => null,
        _ when Kinds.Contains(value, StringComparer.Ordinal) => value,
        _ => throw new AuditUsageException($"--kind: '{value}' is not an entry kind: use one of {string.Join(", ", Kinds)}, or all"),
    };

    private static async Task<int> RunAsync(AuditCliRun run, EntryFilter filter, int limit, CancellationToken cancellationToken)
    {
        var printed = 0;
        string? token = null;
        do
        {
            var page = await run.Reader.ListAsync(filter with { PageSize = Math.Min(limit - printed, EntryFilter.MaxPageSize), PageToken = token }, cancellationToken).ConfigureAwait(false);
            foreach (var row in page.Items)
            {
                await run.Output.WriteLineAsync(Line(row)).ConfigureAwait(false);
            }

            printed += page.Items.Count;
            token = page.NextPageToken;
        }
        while (token is not null && printed < limit);

        // A next-page token means at least one more record matches. Other kinds than decisions are counted as entries.
        var (one, many) = filter.Kind == EntryKinds.Decision ? ("decision", "decisions") : ("entry", "entries");
        await run.Error.WriteLineAsync(token is not null
            ? $"{printed} {(printed == 1 ? one : many)} listed; more match: raise --limit or narrow the filters"
            : $"{printed} {(printed == 1 ? one : many)} listed").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static string Line(StoredEntry row)
    {
        var prefix = $"{AuditCliChains.Prefix(row.Chain)}{row.Sequence,6}  {row.EntryId}  {row.RecordedAt}  ";
        return row.Kind == EntryKinds.Reload && Reload(row) is { } reload
            ? $"{prefix}{$"reload {reload.Outcome}",-25}  {Revision(reload.CandidateRevision)}  serving {(reload.Revision is null ? "none" : Revision(reload.Revision))}"
            : $"{prefix}{row.Verdict ?? row.Kind,-25}  {Revision(row.Revision)}  {Rules(row.RuleIds)}";
    }

    /// <summary>A reload entry's record: the candidate it tried and the outcome; null when it cannot be read (verify says why).</summary>
    private static ReloadRecord? Reload(StoredEntry row)
    {
        try
        {
            return JsonNode.Parse(row.RecordJson) is JsonObject record ? ReloadRecord.Read(record) : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or FormatException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    private static string Revision(string? revision) => revision is null ? "-".PadRight(12) : revision[..Math.Min(12, revision.Length)];

    private static string Rules(string? ruleIdsJson)
    {
        if (ruleIdsJson is null)
        {
            return "-";
        }

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
