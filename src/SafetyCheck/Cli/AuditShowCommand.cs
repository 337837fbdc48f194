using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Verification;

namespace SafetyCheck.Cli;

/// <summary><c>audit show ID</c>: one decision record as stored.</summary>
internal static class AuditShowCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var database = AuditCliOptions.Database();
        var id = new Argument<string?>("ID") { Description = "The decision id (CheckResponse.decision_id)." };
        var command = new Command("show", """
            Prints one decision record as JSON on stdout: the record exactly as hashed (schema v2: sequence,
            prev_hash, decision_id, recorded_at, caller, revision, engine, as_of, time_zone, patient pseudonym and
            key id, facts, unrecognized codes, verdict, the precautions and benefit notes returned, plan conflicts,
            errored rules, and the results digest of every rule's result; records written before schema v2 hold
            every rule's result instead) plus its entry_hash. Members at their default are left out. There is no
            patient_ref and no birth date in it. Same members as a line of 'audit export --format jsonl'.
            Before it is trusted, the record is checked: it must still hash to its entry_hash, its prev_hash must be
            the entry hash of the record before it, and the record after it must link to it. A record that fails is
            still printed, as stored, and stderr says what does not hold ('audit verify' checks the whole chain).

            Example:
              safetycheck audit show 019a4c55-3f0e-7c1a-9d2b-5e8f00a1b2c3

            Exit codes: 0 shown, and the record's hash and links hold; 2 shown, but the record was changed (its hash
            or a link does not hold), or no such decision, or not a decision id; 1 cannot run (no database).
            """)
        {
            database,
            id,
        };
        command.SetAction((parse, cancellationToken) => AuditCliRun.RunAsync(parse, parse.GetValue(database), async run =>
        {
            var decisionId = AuditArguments.DecisionId(parse.GetValue(id));
            var row = await run.Reader.GetAsync(decisionId, cancellationToken).ConfigureAwait(false)
                ?? throw new AuditUsageException($"no decision {decisionId} in {run.StoreName}", seeHelp: false);

            var chainProblems = await EntryIntegrity.CheckAsync(run.Chains.Chain(row.Chain ?? ""), row, cancellationToken).ConfigureAwait(false);
            var columnProblems = ColumnProblems(row).ToList();
            IReadOnlyList<string> problems = [.. chainProblems, .. columnProblems];
            JsonObject? record;
            try
            {
                record = JsonNode.Parse(row.RecordJson) as JsonObject;
            }
            catch (JsonException)
            {
                record = null;
            }

            if (record is null)
            {
                // A damaged record is shown as stored; verify names what is wrong with it.
                await run.Output.WriteLineAsync(row.RecordJson).ConfigureAwait(false);
                await run.Error.WriteLineAsync($"warning: the record at sequence {row.Sequence} is not a JSON object; run 'audit verify'").ConfigureAwait(false);
            }
            else
            {
                record["entry_hash"] = row.EntryHash;
                if (row.Chain is { } chain)
                {
                    record["chain"] = chain;
                }

                await run.Output.WriteLineAsync(record.ToJsonString(Indented)).ConfigureAwait(false);
            }

            if (problems.Count == 0)
            {
                return ExitCodes.Ok;
            }

            foreach (var problem in problems)
            {
                await run.Error.WriteLineAsync($"CHANGED: {AuditCliChains.Prefix(row.Chain)}{problem}").ConfigureAwait(false);
            }

            await run.Error.WriteLineAsync(
                !ChainHash.IsIntact(row) ? "the record shown is not the one recorded; run 'audit verify'"
                : chainProblems.Count > 0 ? "the record shown, or one beside it, was changed after it was recorded; run 'audit verify'"
                : "the record shown is as recorded, but its row's columns were changed (what audit list and its filters show); run 'audit verify'").ConfigureAwait(false);
            return ExitCodes.Rejected;
        }));
        return command;
    }

    /// <summary>
    /// The decision row's index columns (what <c>audit list</c> filters and shows) that disagree with its record, one
    /// sentence each, as the auditor's page names them: a verdict column edited alone leaves the record's hash intact.
    /// </summary>
    private static IEnumerable<string> ColumnProblems(StoredEntry row)
    {
        DecisionRecord record;
        try
        {
            record = row.ToRecord();
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException)
        {
            // Not a readable decision record: the hash check above, and verify, say what is wrong with it.
            return [];
        }

        return IndexColumns.Disagreeing(row, record).Select(m =>
            $"sequence {row.Sequence}: {m.Describe()}: it was changed");
    }
}
