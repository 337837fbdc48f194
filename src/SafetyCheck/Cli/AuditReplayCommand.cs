using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Replay;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Cli;

/// <summary><c>audit replay ID|--all</c>: re-evaluates recorded decisions on the archived files of their own revision.</summary>
internal static class AuditReplayCommand
{
    public static Command Create()
    {
        var database = AuditCliOptions.Database();
        var id = new Argument<string?>("ID") { Description = "The decision id (CheckResponse.decision_id).", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Replay every recorded decision and print those that do not match, then a summary." };
        var command = new Command("replay", """
            Re-evaluates a recorded decision: rebuilds the rules' input from the record's derived facts, loads the
            rule files archived under the record's own revision (not the files in rules/ today), evaluates them and
            compares verdict, precautions, benefit notes and every rule's result with what was recorded (records
            written before the compact record hold them all; a compact record holds which precautions and notes
            were returned and a digest of the rest). Prints 'match' or each difference as
            'field: recorded → replayed'. --all replays every decision and skips entries of other kinds.

            Examples:
              safetycheck audit replay 019a4c55-3f0e-7c1a-9d2b-5e8f00a1b2c3
              safetycheck audit replay --all

            Exit codes: 0 the replay matches (every replay, with --all); 2 it differs, the revision is missing or
            damaged in the archive, the stored record no longer hashes to its entry hash, no such decision (or the
            id is that of another kind of entry, such as a reload, which has no decision to replay), or a bad
            argument; 1 cannot run (no database).
            """)
        {
            database,
            id,
            all,
        };
        command.SetAction((parse, cancellationToken) => AuditCliRun.RunAsync(parse, parse.GetValue(database), run =>
        {
            var idValue = parse.GetValue(id);
            if (parse.GetValue(all))
            {
                return idValue is null
                    ? ReplayAllAsync(run, cancellationToken)
                    : throw new AuditUsageException("give either ID or --all");
            }

            return ReplayOneAsync(run, AuditArguments.DecisionId(idValue), cancellationToken);
        }));
        return command;
    }

    private static async Task<int> ReplayOneAsync(AuditCliRun run, string decisionId, CancellationToken cancellationToken)
    {
        var row = await run.Reader.GetAsync(decisionId, cancellationToken).ConfigureAwait(false)
            ?? throw new AuditUsageException($"no decision {decisionId} in {run.StoreName}", seeHelp: false);
        if (row.Kind != EntryKinds.Decision)
        {
            // 'audit show' prints such an entry; it records no Check, so nothing can be evaluated again.
            throw new AuditUsageException(
                $"{decisionId} in {run.StoreName} is {Article(row.Kind)} {row.Kind} entry (sequence {row.Sequence}), not a decision: it has no decision to replay ('audit show {decisionId}' prints it)",
                seeHelp: false);
        }

        var (ok, lines) = await ReplayAsync(new DecisionReplayer(run.Reader), row, cancellationToken).ConfigureAwait(false);
        foreach (var line in lines)
        {
            await run.Output.WriteLineAsync(line).ConfigureAwait(false);
        }

        return ok ? ExitCodes.Ok : ExitCodes.Rejected;
    }

    private static async Task<int> ReplayAllAsync(AuditCliRun run, CancellationToken cancellationToken)
    {
        // One run, one reading of each archived revision: every replay of the run checks the archive as it was then.
        var replayer = new DecisionReplayer(run.Reader, ArchiveReads.OncePerRevision);
        long matched = 0, failed = 0;
        var revisions = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in AuditCliChains.ReadAllAsync(run.Chains, cancellationToken).ConfigureAwait(false))
        {
            if (row.Kind != EntryKinds.Decision)
            {
                continue;
            }

            revisions.Add(row.Revision ?? "");
            var (ok, lines) = await ReplayAsync(replayer, row, cancellationToken).ConfigureAwait(false);
            if (ok)
            {
                matched++;
                continue;
            }

            failed++;
            foreach (var line in lines)
            {
                await run.Output.WriteLineAsync($"{AuditCliChains.Prefix(row.Chain)}sequence {row.Sequence}: {line}").ConfigureAwait(false);
            }
        }

        await run.Output.WriteLineAsync($"{matched} match, {failed} do not, on {revisions.Count} revision{(revisions.Count == 1 ? "" : "s")}").ConfigureAwait(false);
        return failed == 0 ? ExitCodes.Ok : ExitCodes.Rejected;
    }

    private static async Task<(bool Ok, List<string> Lines)> ReplayAsync(DecisionReplayer replayer, StoredEntry row, CancellationToken cancellationToken)
    {
        DecisionRecord record;
        try
        {
            record = row.ToRecord();
        }
        catch (InvalidDataException ex)
        {
            return (false, [$"the record at sequence {row.Sequence} is not a decision record ({ex.Message}); run 'audit verify'"]);
        }

        var result = await replayer.ReplayAsync(record, cancellationToken).ConfigureAwait(false);
        var lines = new List<string>
        {
            result.Status == ReplayStatus.Differs
                ? $"DIFFERS: decision {record.Content.DecisionId} replays on revision {result.Revision} with {result.Differences.Count} difference(s):"
                : result.Matches ? $"match: {result.Message}" : $"{Status(result.Status)}: {result.Message}",
        };
        lines.AddRange(result.Differences.Select(d => "  " + d));
        var intact = ChainHash.IsIntact(row);
        if (!intact)
        {
            lines.Add($"the stored record at sequence {row.Sequence} no longer hashes to its entry hash: it was changed; run 'audit verify'");
        }

        return (result.Matches && intact, lines);
    }

    private static string Article(string kind) => kind.Length > 0 && "aeiou".Contains(kind[0], StringComparison.Ordinal) ? "an" : "a";

    private static string Status(ReplayStatus status) => status switch
    {
        ReplayStatus.Differs => "DIFFERS",
        ReplayStatus.RevisionNotArchived => "REVISION NOT ARCHIVED",
        ReplayStatus.RevisionUnloadable => "REVISION UNLOADABLE",
        ReplayStatus.RevisionMismatch => "REVISION MISMATCH",
        _ => status.ToString(),
    };
}
