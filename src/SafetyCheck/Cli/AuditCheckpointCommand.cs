using SafetyCheck.Audit;
using SafetyCheck.Audit.Checkpoints;
using SafetyCheck.Audit.Verification;

namespace SafetyCheck.Cli;

/// <summary><c>audit checkpoint [--output FILE]</c>: a signed statement of the chain's size and head hash.</summary>
internal static class AuditCheckpointCommand
{
    public static Command Create()
    {
        var database = AuditCliOptions.Database();
        var output = AuditCliOptions.Value("--output", "Write the checkpoint to FILE instead of stdout.", "FILE");
        var command = new Command("checkpoint", """
            Verifies the chain, then signs a checkpoint of it: origin, number of records, head entry hash and time,
            signed with ECDSA P-256. Keep checkpoints outside the service (another machine, the auditor's records):
            'audit verify --checkpoint FILE' then detects a truncated tail or a rewritten chain.
            The signing key is SafetyCheck:Audit:CheckpointKeyPath, else <db>.checkpoint-key.pem, generated on first
            use (owner-only). Its public half is written beside it as *.pub.pem: give that file to auditors.

            Examples:
              safetycheck audit checkpoint --output ~/audit-checkpoints/$(date +%F).txt
              safetycheck audit verify --checkpoint ~/audit-checkpoints/2026-03-02.txt --public-key .safetycheck/audit.db.checkpoint-key.pub.pem

            Exit codes: 0 signed; 2 the chain does not verify (nothing is signed), or a bad argument; 1 cannot run
            (no database, cannot read or create the key, cannot write FILE).
            """)
        {
            database,
            output,
        };
        command.Action = new AuditVerbAction((parse, cancellationToken) => AuditCliRun.RunAsync(parse, parse.GetValue(database), run =>
            RunAsync(run, parse.GetValue(output), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(AuditCliRun run, string? file, CancellationToken cancellationToken)
    {
        // Signing a chain that does not verify would vouch for tampered records.
        var report = await AuditVerifier.VerifyAsync(run.Reader, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!report.IsValid)
        {
            await run.Error.WriteLineAsync($"not signed: the chain does not verify: {report.Message}").ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        var keyPath = run.Paths.CheckpointKeyPath;
        using var key = LoadKey(keyPath);
        var checkpoint = Checkpoint.Create($"safetycheck {Environment.MachineName} {run.Paths.DatabasePath}", report.Head, TimeProvider.System.GetUtcNow(), key);
        var text = checkpoint.ToText();
        if (file is null)
        {
            await run.Output.WriteAsync(text).ConfigureAwait(false);
        }
        else
        {
            await File.WriteAllTextAsync(file, text, cancellationToken).ConfigureAwait(false);
        }

        var publicKeyPath = CheckpointKeys.PublicKeyPathFor(keyPath);
        var publicPem = CheckpointKeyFile.ExportPublicKeyPem(key);
        try
        {
            if (!File.Exists(publicKeyPath) || await File.ReadAllTextAsync(publicKeyPath, cancellationToken).ConfigureAwait(false) != publicPem)
            {
                await File.WriteAllTextAsync(publicKeyPath, publicPem, cancellationToken).ConfigureAwait(false);
            }

            await run.Error.WriteLineAsync(
                $"checkpoint of {checkpoint.Size} records{(file is null ? "" : " written to " + file)}, signed by key {checkpoint.KeyId} ({keyPath}); " +
                $"auditors verify it with the public key {publicKeyPath}: safetycheck audit verify --checkpoint FILE --public-key {publicKeyPath}").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await run.Error.WriteLineAsync(
                $"checkpoint of {checkpoint.Size} records signed by key {checkpoint.KeyId} ({keyPath}); the public key could not be written to {publicKeyPath} ({ex.Message}); it is:\n{publicPem}").ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    private static System.Security.Cryptography.ECDsa LoadKey(string keyPath)
    {
        try
        {
            return CheckpointKeyFile.LoadOrCreate(keyPath);
        }
        catch (Exception ex) when (ex is ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            throw new IOException($"the checkpoint key {keyPath} holds no ECDSA P-256 private key: {ex.Message}", ex);
        }
    }
}
