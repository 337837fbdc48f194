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
            signed with ECDSA P-256. A PostgreSQL store holds one chain per instance: every chain is verified and
            gets a checkpoint of its own (its origin names the store and the chain), one after the other in FILE. Keep checkpoints outside the service (another machine, the auditor's records):
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
        var reports = await ChainSetVerifier.VerifyAsync(run.Chains, [], null, cancellationToken).ConfigureAwait(false);
        if (reports.FirstOrDefault(r => !r.Report.IsValid) is { } bad)
        {
            await run.Error.WriteLineAsync($"not signed: the chain {(bad.Chain.Length == 0 ? "" : bad.Chain + " ")}does not verify: {bad.Report.Message}").ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        var keyPath = run.Paths.CheckpointKeyPath;
        using var key = LoadKey(keyPath);
        var time = TimeProvider.System.GetUtcNow();
        var checkpoints = new List<Checkpoint>(reports.Count);
        foreach (var (chain, report) in reports)
        {
            checkpoints.Add(Checkpoint.Create(await run.OriginAsync(chain, cancellationToken).ConfigureAwait(false), report.Head, time, key));
        }

        // A store of several chains gets one checkpoint per chain, one after the other; verify reads them all.
        var text = string.Concat(checkpoints.Select(c => c.ToText()));
        if (file is null)
        {
            await run.Output.WriteAsync(text).ConfigureAwait(false);
        }
        else
        {
            // A folder kept for checkpoints (~/checkpoints/DATE.txt) may not exist yet on the first run.
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            await File.WriteAllTextAsync(file, text, cancellationToken).ConfigureAwait(false);
        }

        var records = checkpoints.Count == 1 ? $"{checkpoints[0].Size} records" : $"{checkpoints.Count} chains ({checkpoints.Sum(c => c.Size)} records)";
        var keyId = Checkpoint.KeyIdOf(key);
        var publicKeyPath = CheckpointKeys.PublicKeyPathFor(keyPath);
        var publicPem = CheckpointKeyFile.ExportPublicKeyPem(key);
        try
        {
            if (!File.Exists(publicKeyPath) || await File.ReadAllTextAsync(publicKeyPath, cancellationToken).ConfigureAwait(false) != publicPem)
            {
                await File.WriteAllTextAsync(publicKeyPath, publicPem, cancellationToken).ConfigureAwait(false);
            }

            await run.Error.WriteLineAsync(
                $"checkpoint of {records}{(file is null ? "" : " written to " + file)}, signed by key {keyId} ({keyPath}); " +
                $"auditors verify it with the public key {publicKeyPath}: safetycheck audit verify --checkpoint FILE --public-key {publicKeyPath}").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await run.Error.WriteLineAsync(
                $"checkpoint of {records} signed by key {keyId} ({keyPath}); the public key could not be written to {publicKeyPath} ({ex.Message}); it is:\n{publicPem}").ConfigureAwait(false);
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
