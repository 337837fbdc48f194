using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using SafetyCheck.Audit;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Checkpoints;
using SafetyCheck.Audit.Export;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Verification;

namespace SafetyCheck.Cli;

/// <summary><c>audit verify [--checkpoint FILE] [--public-key FILE] [--export FILE]</c>: recomputes the hash chain.</summary>
internal static class AuditVerifyCommand
{
    public static Command Create()
    {
        var database = AuditCliOptions.Database();
        var checkpoint = CliOptions.NotEmpty(AuditCliOptions.Value("--checkpoint", "A checkpoint written by 'audit checkpoint' and kept elsewhere: also detects a truncated tail or a rewritten chain.", "FILE"));
        var publicKey = CliOptions.NotEmpty(AuditCliOptions.Value("--public-key", "PEM key to check the checkpoint's signature with (default: SafetyCheck:Audit:CheckpointPublicKeyPath, else the key SafetyCheck:Audit:CheckpointKeyPath).", "FILE"));
        var export = CliOptions.NotEmpty(AuditCliOptions.Value("--export", "Verify a JSON Lines export (audit export --format jsonl) instead of the database.", "FILE"));
        var command = new Command("verify", """
            Recomputes the audit chain from sequence 1: every record's SHA-256 entry hash, its link to the previous
            record, its sequence, and the list columns. Then the archive that replay depends on: every rule revision
            an entry names is archived, and every archived revision's files still hash to it (recomputed as the rule
            loader computes a revision). Prints the result; a failure names the first bad sequence, or the revision
            and the file. With --checkpoint it also checks the signed checkpoint, that the chain still holds the
            records it signed (a hash chain alone cannot show that its tail was cut off or that it was rewritten),
            and that the revisions it signed are still archived. With --export only the chain is checked (an export
            holds no archive). Reads the database without locking it: safe while serve runs. On a PostgreSQL
            store whose chains' latest decisions carry different pseudonym key ids, a note line names the keys
            and their chains (patients cannot be linked across them); on SQLite, when the chain's decisions
            changed key, a note line names the sequence after which it changed. A note is not a failure.

            Examples:
              safetycheck audit verify
              safetycheck audit verify --checkpoint ~/audit-checkpoints/2026-03-02.txt --public-key checkpoint.pub.pem
              safetycheck audit verify --export decisions.jsonl

            Exit codes: 0 the chain and the archive verify; 2 they do not (the first bad sequence, or the revision
            and file, is printed), the checkpoint is malformed, or a bad argument (such as --checkpoint without a
            key to check it with); 1 cannot run (no database, unreadable checkpoint, key or export file).
            """)
        {
            database,
            checkpoint,
            publicKey,
            export,
        };
        command.SetAction((parse, cancellationToken) => AuditCliRun.RunAsync(parse, parse.GetValue(database), run => RunAsync(
            run, parse.GetValue(checkpoint), parse.GetValue(publicKey), parse.GetValue(export), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(AuditCliRun run, string? checkpointFile, string? publicKeyFile, string? exportFile, CancellationToken cancellationToken)
    {
        var checkpoints = checkpointFile is null ? [] : await ReadCheckpointsAsync(checkpointFile, cancellationToken).ConfigureAwait(false);
        using var key = checkpoints.Count == 0 ? null : await ReadKeyAsync(run, publicKeyFile, cancellationToken).ConfigureAwait(false);

        IReadOnlyList<ChainReport> reports;
        if (exportFile is null)
        {
            reports = await ChainSetVerifier.VerifyAsync(run.Chains, checkpoints, key, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            try
            {
                var ids = new List<string>();
                await foreach (var row in ReadExportAsync(exportFile, cancellationToken).ConfigureAwait(false))
                {
                    if (!ids.Contains(row.Chain ?? "", StringComparer.Ordinal))
                    {
                        ids.Add(row.Chain ?? "");
                    }
                }

                // Every chain of an export is verified in one pass of the file of its own.
                reports = await ChainSetVerifier.VerifyAsync(
                    ids.Count == 0 ? [""] : ids,
                    id => ReadExportAsync(exportFile, cancellationToken).Where(r => (r.Chain ?? "") == id),
                    checkpoints,
                    key,
                    cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                await run.Output.WriteLineAsync($"FAILED: {exportFile}: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Rejected;
            }
        }

        if (exportFile is null && await run.MissingTriggersAsync(cancellationToken).ConfigureAwait(false) is { Count: > 0 } missing)
        {
            await run.Error.WriteLineAsync(run.Settings.Provider == AuditProvider.PostgreSql
                ? $"warning: the append-only triggers {string.Join(", ", missing)} are missing or disabled: someone with the owner role removed them ('safetycheck audit migrate' cannot restore a dropped trigger; recreate the schema's triggers after investigating)"
                : $"warning: the append-only triggers {string.Join(", ", missing)} are missing: someone with file access dropped them (serve restores them when it next starts)").ConfigureAwait(false);
        }

        if (reports.Count == 0)
        {
            await run.Output.WriteLineAsync("ok: the store holds no chain yet").ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        foreach (var (chain, report) in reports)
        {
            var name = chain.Length == 0 ? "" : $"chain {chain}: ";
            if (report.IsValid)
            {
                await run.Output.WriteLineAsync($"ok: {name}{report.Message}").ConfigureAwait(false);
                continue;
            }

            await run.Output.WriteLineAsync($"FAILED: {name}{report.Message}").ConfigureAwait(false);
            if (report.FirstBadSequence is { } first)
            {
                await run.Output.WriteLineAsync($"first bad sequence: {first}{(chain.Length == 0 ? "" : $" (chain {chain})")}").ConfigureAwait(false);
            }

            if (report.Revision is { } revision)
            {
                await run.Output.WriteLineAsync($"revision: {revision}").ConfigureAwait(false);
                if (report.File is { } badFile)
                {
                    await run.Output.WriteLineAsync($"file: {badFile}").ConfigureAwait(false);
                }

                await run.Output.WriteLineAsync($"the chain's {AuditVerifier.RecordsVerify(report.EntriesChecked)}; the archive does not ({report.Problem})").ConfigureAwait(false);
                continue;
            }

            if (report.Problem == VerificationProblem.CheckpointSignatureInvalid)
            {
                // Nothing of the chain was read: the key given is not the one that signed the checkpoint (or the
                // checkpoint was changed), which says nothing yet about the records.
                await run.Output.WriteLineAsync($"the chain was not checked: give the public key that signed this checkpoint ({report.Problem})").ConfigureAwait(false);
                continue;
            }

            await run.Output.WriteLineAsync($"{report.EntriesChecked} {(report.EntriesChecked == 1 ? "record" : "records")} verified before it ({report.Problem})").ConfigureAwait(false);
        }

        if (exportFile is null)
        {
            await NoteMixedKeysAsync(run, cancellationToken).ConfigureAwait(false);
        }

        return reports.All(r => r.Report.IsValid) ? ExitCodes.Ok : ExitCodes.Rejected;
    }

    /// <summary>
    /// A note (never a failure) when the chains of a shared store last recorded patients under different pseudonym keys
    /// (each chain's latest decision that names a patient), or when the SQLite file's one chain changed key (the latest
    /// decision under another key than its latest's: found reading decisions newest first back to the change, the whole
    /// chain when it never changed, as the verification itself did): patients cannot be linked across them.
    /// </summary>
    private static async Task NoteMixedKeysAsync(AuditCliRun run, CancellationToken cancellationToken)
    {
        try
        {
            var uses = await run.LatestKeyUsesAsync(cancellationToken).ConfigureAwait(false);
            var note = run.Settings.Provider == AuditProvider.PostgreSql
                ? PseudonymKeyComparison.MixedKeysNote(uses)
                : uses is [var latest]
                    ? PseudonymKeyComparison.KeyChangeNote(latest, await run.LatestKeyUseOtherThanAsync(latest.KeyId, cancellationToken).ConfigureAwait(false))
                    : null;
            if (note is not null)
            {
                await run.Output.WriteLineAsync(note).ConfigureAwait(false);
            }
        }
        catch (AuditStoreUnavailableException ex)
        {
            await run.Error.WriteLineAsync($"note: the chains' pseudonym keys could not be compared: {ex.Message}").ConfigureAwait(false);
        }
    }

    /// <summary>The text of <paramref name="file"/>; an <see cref="IOException"/> naming <paramref name="option"/> and what is wrong when it cannot be read (exit 1).</summary>
    private static async Task<string> ReadTextAsync(string option, string file, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException(UnreadableFile.Message(option, file, ex), ex);
        }
    }

    private static async IAsyncEnumerable<StoredEntry> ReadExportAsync(string file, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        StreamReader opened;
        try
        {
            opened = new StreamReader(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException(UnreadableFile.Message("--export", file, ex), ex);
        }

        using var input = opened;
        await foreach (var row in AuditExporter.ReadJsonLinesAsync(input, cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    /// <summary>The checkpoints in <paramref name="file"/>: one, or one per chain as 'audit checkpoint' writes for a shared store.</summary>
    private static async Task<IReadOnlyList<Checkpoint>> ReadCheckpointsAsync(string file, CancellationToken cancellationToken)
    {
        var text = await ReadTextAsync("--checkpoint", file, cancellationToken).ConfigureAwait(false);
        try
        {
            var parts = ChainOrigin.SplitCheckpoints(text);
            return parts.Count == 0 ? [Checkpoint.Parse(text)] : [.. parts.Select(Checkpoint.Parse)];
        }
        catch (FormatException ex)
        {
            throw new AuditUsageException($"--checkpoint: {file} is not a SafetyCheck audit checkpoint: {ex.Message}", seeHelp: false, ex);
        }
    }

    private static async Task<ECDsa> ReadKeyAsync(AuditCliRun run, string? publicKeyFile, CancellationToken cancellationToken)
    {
        var path = publicKeyFile ?? run.Paths.CheckpointPublicKeyPath ?? run.Paths.CheckpointKeyPath;
        if (path is null || (publicKeyFile is null && !File.Exists(path)))
        {
            throw new AuditUsageException($"--public-key: no key to check the checkpoint with{(path is null ? "" : $" (the configured key {path} does not exist)")}; give the public key with --public-key FILE");
        }

        var pem = await ReadTextAsync(publicKeyFile is null ? "checkpoint key" : "--public-key", path, cancellationToken).ConfigureAwait(false);
        try
        {
            return CheckpointKeyFile.FromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new AuditUsageException($"{(publicKeyFile is null ? "checkpoint key" : "--public-key")}: {AuditArguments.NoKeyIn(path, ex)}", seeHelp: false, ex);
        }
    }
}
