using System.Security.Cryptography;
using SafetyCheck.Audit;
using SafetyCheck.Audit.Checkpoints;
using SafetyCheck.Audit.Files;
using SafetyCheck.Audit.Verification;

namespace SafetyCheck.Cli;

/// <summary>
/// <c>audit checkpoint [--output FILE] (--key FILE | --signer COMMAND --public-key FILE)</c>: a signed statement of the
/// chain's size, head hash and archived revisions. The key never lives beside the database.
/// </summary>
internal static class AuditCheckpointCommand
{
    public static Command Create()
    {
        var database = AuditCliOptions.Database();
        var output = CliOptions.NotEmpty(AuditCliOptions.Value("--output", "Write the checkpoint to FILE (owner-only) instead of stdout.", "FILE"));
        var key = CliOptions.NotEmpty(AuditCliOptions.Value("--key", "The ECDSA P-256 private key (PEM) to sign with, outside the database's folder; created there when missing (default: SafetyCheck:Audit:CheckpointKeyPath).", "FILE"));
        var signer = CliOptions.NotEmpty(AuditCliOptions.Value("--signer", "Sign with this command instead of a key file: it reads the checkpoint body on stdin and prints its DER ECDSA P-256 SHA-256 signature as base64 (default: SafetyCheck:Audit:CheckpointSigner).", "COMMAND"));
        var publicKey = CliOptions.NotEmpty(AuditCliOptions.Value("--public-key", "With --signer: the signer's public key (PEM); its signature is checked before the checkpoint is written (default: SafetyCheck:Audit:CheckpointPublicKeyPath).", "FILE"));
        var command = new Command("checkpoint", """
            Verifies the chain and the archived rule revisions, then signs a checkpoint (version 2): origin, number of
            records, head entry hash, the archived rule revisions, and time, signed with ECDSA P-256. A PostgreSQL
            store holds one chain per instance: every chain is verified and gets a checkpoint of its own (its origin
            names the store and the chain), one after the other in FILE. Keep checkpoints outside the service
            (another machine, the auditor's records): 'audit verify --checkpoint FILE' then detects a truncated tail,
            a rewritten chain, or a signed revision missing from the archive.

            The signing key must not be where the database is: whoever can rewrite the chain must not be able to
            sign for it. Give --key FILE (or SafetyCheck:Audit:CheckpointKeyPath) outside the database's folder, e.g.
            in a folder only the signing account can read, on another disk or host; a key in the SQLite database's
            folder is refused. A missing key file is created (owner-only) and its public half written beside it as
            *.pub.pem for auditors. Better still, keep the key on another host or a token and give --signer COMMAND
            with the signer's --public-key.

            Examples:
              safetycheck audit checkpoint --key ~/.config/safetycheck/checkpoint-key.pem --output ~/audit-checkpoints/$(date +%F).txt
              safetycheck audit checkpoint --signer 'ssh signer@keyhost sign-checkpoint' --public-key checkpoint.pub.pem
              safetycheck audit checkpoint --signer 'openssl dgst -sha256 -sign /secure/checkpoint-key.pem | base64 -w0' --public-key checkpoint.pub.pem
              safetycheck audit verify --checkpoint ~/audit-checkpoints/2026-03-02.txt --public-key ~/.config/safetycheck/checkpoint-key.pub.pem

            Exit codes: 0 signed; 2 the chain or the archive does not verify (nothing is signed), or a bad argument
            (no key or signer, a key in the database's folder, --key with --signer); 1 cannot run (no database,
            cannot read or create the key, the signer failed or its signature does not verify, cannot write FILE).
            """)
        {
            database,
            output,
            key,
            signer,
            publicKey,
        };
        command.SetAction((parse, cancellationToken) => AuditCliRun.RunAsync(parse, parse.GetValue(database), run =>
            RunAsync(run, parse.GetValue(output), parse.GetValue(key), parse.GetValue(signer), parse.GetValue(publicKey), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(AuditCliRun run, string? file, string? keyFlag, string? signerFlag, string? publicKeyFlag, CancellationToken cancellationToken)
    {
        var signing = SigningFor(run, keyFlag, signerFlag, publicKeyFlag);

        // Signing a chain or an archive that does not verify would vouch for tampered records.
        var reports = await ChainSetVerifier.VerifyAsync(run.Chains, [], null, cancellationToken).ConfigureAwait(false);
        if (reports.FirstOrDefault(r => !r.Report.IsValid) is { } bad)
        {
            await run.Error.WriteLineAsync($"not signed: the audit trail {(bad.Chain.Length == 0 ? "" : "(chain " + bad.Chain + ") ")}does not verify: {bad.Report.Message}").ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        var revisions = await run.Reader.ListRevisionsAsync(cancellationToken).ConfigureAwait(false);
        var time = TimeProvider.System.GetUtcNow();
        var checkpoints = new List<Checkpoint>(reports.Count);
        string verifyWith;
        if (signing.KeyPath is { } keyPath)
        {
            using var signingKey = LoadKey(keyPath, out var created);
            if (created)
            {
                await run.Error.WriteLineAsync($"created a new checkpoint key {keyPath} (owner-only); keep it away from the database and its backups").ConfigureAwait(false);
            }

            foreach (var (chain, report) in reports)
            {
                checkpoints.Add(Checkpoint.Create(await run.OriginAsync(chain, cancellationToken).ConfigureAwait(false), report.Head, revisions, time, Checkpoint.KeyIdOf(signingKey),
                    body => signingKey.SignData(body, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
            }

            verifyWith = await WritePublicKeyAsync(run, keyPath, signingKey, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            using var signerKey = ReadPublicKey(signing.PublicKeyPath!);
            foreach (var (chain, report) in reports)
            {
                checkpoints.Add(await CheckpointSigner.SignAsync(
                    await run.OriginAsync(chain, cancellationToken).ConfigureAwait(false), report.Head, revisions, time, signing.Signer!, signerKey, cancellationToken).ConfigureAwait(false));
            }

            verifyWith = signing.PublicKeyPath!;
        }

        // A store of several chains gets one checkpoint per chain, one after the other; verify reads them all.
        var text = string.Concat(checkpoints.Select(c => c.ToText()));
        if (file is null)
        {
            await run.Output.WriteAsync(text).ConfigureAwait(false);
        }
        else
        {
            // A folder kept for checkpoints (~/checkpoints/DATE.txt) may not exist yet on the first run: created
            // owner-only, as every folder the service creates.
            var path = Path.GetFullPath(file);
            PrivateFiles.CreateParentDirectory(path);
            PrivateFiles.Write(path, text);
        }

        var records = checkpoints.Count == 1 ? $"{checkpoints[0].Size} records" : $"{checkpoints.Count} chains ({checkpoints.Sum(c => c.Size)} records)";
        await run.Error.WriteLineAsync(
            $"checkpoint of {records} and {revisions.Count} archived revision{(revisions.Count == 1 ? "" : "s")}{(file is null ? "" : " written to " + file)}, signed by key {checkpoints.FirstOrDefault()?.KeyId}; " +
            $"auditors verify it with: safetycheck audit verify --checkpoint FILE --public-key {verifyWith}").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>How to sign: a key file or a signer command, each from its flag, else configuration.</summary>
    /// <exception cref="AuditUsageException">Neither is given, both flags are, the signer has no public key, or the key is in the database's folder.</exception>
    private static (string? KeyPath, string? Signer, string? PublicKeyPath) SigningFor(AuditCliRun run, string? keyFlag, string? signerFlag, string? publicKeyFlag)
    {
        var paths = run.Paths;
        if (keyFlag is not null && signerFlag is not null)
        {
            throw new AuditUsageException("--key and --signer: give one way to sign, not both");
        }

        var keyPath = keyFlag is not null ? Path.GetFullPath(keyFlag) : signerFlag is null ? paths.CheckpointKeyPath : null;
        var signer = signerFlag ?? (keyPath is null ? paths.CheckpointSigner : null);
        if (keyPath is null && signer is null)
        {
            throw new AuditUsageException(
                "no checkpoint key: give --key FILE outside the database's folder (or SafetyCheck:Audit:CheckpointKeyPath), or --signer COMMAND with --public-key FILE; see audit checkpoint --help");
        }

        if (keyPath is not null)
        {
            if (run.Settings.Provider != AuditProvider.PostgreSql && CheckpointKeyFile.IsInDatabaseFolder(keyPath, paths.DatabasePath))
            {
                throw new AuditUsageException(
                    $"{(keyFlag is null ? "SafetyCheck:Audit:CheckpointKeyPath" : "--key")}: {keyPath} is in the database's folder ({Path.GetDirectoryName(paths.DatabasePath)}); " +
                    "keep the checkpoint key away from the database, or whoever can rewrite the chain can sign for it");
            }

            return (keyPath, null, null);
        }

        var publicKey = publicKeyFlag is not null ? Path.GetFullPath(publicKeyFlag) : paths.CheckpointPublicKeyPath;
        return publicKey is null
            ? throw new AuditUsageException("--signer: give the signer's public key with --public-key FILE (or SafetyCheck:Audit:CheckpointPublicKeyPath), to check its signature")
            : (null, signer, publicKey);
    }

    private static ECDsa LoadKey(string keyPath, out bool created)
    {
        try
        {
            return CheckpointKeyFile.LoadOrCreate(keyPath, out created);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new IOException($"the checkpoint key {keyPath} holds no ECDSA P-256 private key: {ex.Message}", ex);
        }
    }

    private static ECDsa ReadPublicKey(string path)
    {
        try
        {
            return CheckpointKeyFile.FromPem(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new AuditUsageException($"--public-key: {AuditArguments.NoKeyIn(path, ex)}", seeHelp: false, ex);
        }
    }

    /// <summary>Writes the public half of the key beside it (once), and returns where auditors find it.</summary>
    private static async Task<string> WritePublicKeyAsync(AuditCliRun run, string keyPath, ECDsa key, CancellationToken cancellationToken)
    {
        var publicKeyPath = CheckpointKeys.PublicKeyPathFor(keyPath);
        var publicPem = CheckpointKeyFile.ExportPublicKeyPem(key);
        try
        {
            if (!File.Exists(publicKeyPath) || await File.ReadAllTextAsync(publicKeyPath, cancellationToken).ConfigureAwait(false) != publicPem)
            {
                PrivateFiles.Write(publicKeyPath, publicPem);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await run.Error.WriteLineAsync($"the public key could not be written to {publicKeyPath} ({ex.Message}); it is:\n{publicPem}").ConfigureAwait(false);
        }

        return publicKeyPath;
    }
}
