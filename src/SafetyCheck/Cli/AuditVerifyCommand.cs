using System.Security.Cryptography;
using SafetyCheck.Audit.Checkpoints;
using SafetyCheck.Audit.Export;
using SafetyCheck.Audit.Verification;

namespace SafetyCheck.Cli;

/// <summary><c>audit verify [--checkpoint FILE] [--public-key FILE] [--export FILE]</c>: recomputes the hash chain.</summary>
internal static class AuditVerifyCommand
{
    public static Command Create()
    {
        var database = AuditCliOptions.Database();
        var checkpoint = AuditCliOptions.Value("--checkpoint", "A checkpoint written by 'audit checkpoint' and kept elsewhere: also detects a truncated tail or a rewritten chain.", "FILE");
        var publicKey = AuditCliOptions.Value("--public-key", "PEM key to check the checkpoint's signature with (default: the configured checkpoint key, SafetyCheck:Audit:CheckpointKeyPath, else <db>.checkpoint-key.pem).", "FILE");
        var export = AuditCliOptions.Value("--export", "Verify a JSON Lines export (audit export --format jsonl) instead of the database.", "FILE");
        var command = new Command("verify", """
            Recomputes the audit chain from sequence 1: every record's SHA-256 entry hash, its link to the previous
            record, its sequence, and the list columns. Prints the result; a failure names the first bad sequence.
            With --checkpoint it also checks the signed checkpoint and that the chain still holds the records it
            signed (a hash chain alone cannot show that its tail was cut off or that it was rewritten).
            Reads the database without locking it: safe while serve runs.

            Examples:
              safetycheck audit verify
              safetycheck audit verify --checkpoint ~/audit-checkpoints/2026-03-02.txt --public-key checkpoint.pub.pem
              safetycheck audit verify --export decisions.jsonl

            Exit codes: 0 the chain verifies; 2 it does not (the first bad sequence is printed), or a bad argument;
            1 cannot run (no database, unreadable checkpoint or key file, no key to check the checkpoint with).
            """)
        {
            database,
            checkpoint,
            publicKey,
            export,
        };
        command.Action = new AuditVerbAction((parse, cancellationToken) => AuditCliRun.RunAsync(parse, parse.GetValue(database), run => RunAsync(
            run, parse.GetValue(checkpoint), parse.GetValue(publicKey), parse.GetValue(export), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(AuditCliRun run, string? checkpointFile, string? publicKeyFile, string? exportFile, CancellationToken cancellationToken)
    {
        var checkpoint = checkpointFile is null ? null : await ReadCheckpointAsync(checkpointFile, cancellationToken).ConfigureAwait(false);
        using var key = checkpoint is null ? null : await ReadKeyAsync(run, publicKeyFile, cancellationToken).ConfigureAwait(false);

        VerificationReport report;
        if (exportFile is null)
        {
            report = await AuditVerifier.VerifyAsync(run.Reader, checkpoint, key, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            using var input = new StreamReader(exportFile);
            try
            {
                report = await AuditVerifier.VerifyAsync(AuditExporter.ReadJsonLinesAsync(input, cancellationToken), checkpoint, key, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                await run.Output.WriteLineAsync($"FAILED: {exportFile}: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Rejected;
            }
        }

        if (exportFile is null && await run.Reader.MissingTriggersAsync(cancellationToken).ConfigureAwait(false) is { Count: > 0 } missing)
        {
            await run.Error.WriteLineAsync(
                $"warning: the append-only triggers {string.Join(", ", missing)} are missing: someone with file access dropped them (serve restores them when it next starts)").ConfigureAwait(false);
        }

        if (report.IsValid)
        {
            await run.Output.WriteLineAsync($"ok: {report.Message}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        await run.Output.WriteLineAsync($"FAILED: {report.Message}").ConfigureAwait(false);
        if (report.FirstBadSequence is { } first)
        {
            await run.Output.WriteLineAsync($"first bad sequence: {first}").ConfigureAwait(false);
        }

        await run.Output.WriteLineAsync($"{report.EntriesChecked} records verified before it ({report.Problem})").ConfigureAwait(false);
        return ExitCodes.Rejected;
    }

    private static async Task<Checkpoint> ReadCheckpointAsync(string file, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        try
        {
            return Checkpoint.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new AuditUsageException($"--checkpoint: {file} is not a SafetyCheck audit checkpoint: {ex.Message}", ex);
        }
    }

    private static async Task<ECDsa> ReadKeyAsync(AuditCliRun run, string? publicKeyFile, CancellationToken cancellationToken)
    {
        var path = publicKeyFile ?? run.Paths.CheckpointKeyPath;
        if (publicKeyFile is null && !File.Exists(path))
        {
            throw new IOException($"no key to check the checkpoint with: {path} does not exist; pass the public key with --public-key FILE");
        }

        var pem = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return CheckpointKeyFile.FromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new AuditUsageException($"{(publicKeyFile is null ? "checkpoint key" : "--public-key")}: {path} holds no ECDSA P-256 key: {ex.Message}", ex);
        }
    }
}
