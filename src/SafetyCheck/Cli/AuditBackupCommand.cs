using SafetyCheck.Audit;
using SafetyCheck.Audit.Files;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Verification;

namespace SafetyCheck.Cli;

/// <summary>
/// <c>audit backup --output FILE</c>: a consistent copy of the SQLite audit database, taken while <c>serve</c> runs with
/// SQLite's online backup API, written beside FILE and renamed into place, then verified as <c>audit verify</c> verifies.
/// The pseudonym key file is never copied.
/// </summary>
internal static class AuditBackupCommand
{
    public static Command Create()
    {
        var database = AuditCliOptions.Database();
        var output = CliOptions.NotEmpty(
            AuditCliOptions.Value("--output", "The copy to write (owner-only, 0600): a new file, in a folder that exists; an existing file is never replaced.", "FILE"),
            "give the file to write the copy to");
        var command = new Command("backup", """
            Copies the SQLite audit database, as it stands at one moment, into a new file: every page, from a
            read-only connection, with SQLite's online backup API, so it works while serve runs. serve goes on
            committing during the copy (a reader of a WAL database does not block its writer); the copy holds the
            records committed when it began, and those committed meanwhile are left for the next backup. The copy is
            written to a temporary file beside FILE, synced to disk and only then renamed to FILE, owner-only (0600),
            as a single file (rollback-journal mode: no -wal file beside it). Then it is verified as 'audit verify'
            verifies a database: the chain from sequence 1 and the archived rule revisions.

            The pseudonym key (audit.db.key, or SafetyCheck:Audit:PseudonymKey) is never copied: keep it apart from
            the backups, as the checkpoint key and the checkpoints are. To restore: stop serve, copy the backup into
            the database's place, start serve. A PostgreSQL store is backed up with pg_dump instead.

            Examples:
              safetycheck audit backup --output /backups/audit-$(date +%F).db
              safetycheck audit verify --audit-db /backups/audit-2026-03-02.db

            Exit codes: 0 copied and the copy verifies; 2 the copy does not verify (it is kept: the database it was
            taken from holds the same records; the first bad sequence is printed), or a bad argument (no --output,
            FILE exists, its folder does not, a PostgreSQL store); 1 cannot run (no database, unreadable database,
            cannot write the copy).
            """)
        {
            database,
            output,
        };
        command.SetAction((parse, cancellationToken) => AuditCliRun.RunAsync(parse, parse.GetValue(database), run =>
            RunAsync(run, parse.GetValue(output), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(AuditCliRun run, string? file, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            throw new AuditUsageException("--output: required: the file to write the copy to (a new file)");
        }

        if (run.Settings.Provider == AuditProvider.PostgreSql)
        {
            throw new AuditUsageException(
                "audit backup copies an SQLite audit database; back up a PostgreSQL store with pg_dump as its owner role: see src/SafetyCheck.Audit.PostgreSql/README.md#backups",
                seeHelp: false);
        }

        var path = Path.GetFullPath(file);
        var folder = Path.GetDirectoryName(path);
        if (folder is null || !Directory.Exists(folder))
        {
            throw new AuditUsageException($"--output: the folder {folder ?? path} does not exist; create it first (nothing was written)", seeHelp: false);
        }

        if (Exists(path))
        {
            throw Refused(file);
        }

        var source = run.Sqlite;
        await CopyAsync(source, path, file, cancellationToken).ConfigureAwait(false);

        var copy = new SqliteAuditReader(path);
        var reports = await ChainSetVerifier.VerifyAsync(new SingleChainSet(copy), [], null, cancellationToken).ConfigureAwait(false);
        var report = reports[0].Report;
        if (!report.IsValid)
        {
            await run.Output.WriteLineAsync($"FAILED: the copy {file} does not verify: {report.Message}").ConfigureAwait(false);
            if (report.FirstBadSequence is { } first)
            {
                await run.Output.WriteLineAsync($"first bad sequence: {first}").ConfigureAwait(false);
            }

            await run.Output.WriteLineAsync(
                $"the copy is kept: it holds the records of {source.DatabasePath} as they were, so that database does not verify either; run 'safetycheck audit verify'").ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        var revisions = (await copy.ListRevisionsAsync(cancellationToken).ConfigureAwait(false)).Count;
        var records = report.Head.Size;
        await run.Output.WriteLineAsync(
            $"ok: backed up {records} record{(records == 1 ? "" : "s")} (head {report.Head.HeadHash}) and {revisions} archived revision{(revisions == 1 ? "" : "s")} to {file}; the copy verifies").ConfigureAwait(false);
        var keyFile = AuditKeyFile.PathFor(source.DatabasePath);
        await run.Output.WriteLineAsync(File.Exists(keyFile)
            ? $"the pseudonym key {keyFile} is not in the copy: keep it apart from the backup"
            : "the pseudonym key is not in the copy: keep it apart from the backup").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Copies the database into a new owner-only temporary file beside <paramref name="path"/>, syncs it, and renames it
    /// to <paramref name="path"/> without replacing a file there; on any failure the temporary is deleted.
    /// </summary>
    private static async Task CopyAsync(SqliteAuditReader source, string path, string file, CancellationToken cancellationToken)
    {
        var temporary = FileReplacement.TemporaryPath(path);
        var renamed = false;
        try
        {
            // Created 0600 here, empty: SQLite writes the copy into it and keeps its mode (and gives its journal the same).
            using (PrivateFiles.Open(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
            }

            await Task.Run(() => source.BackupTo(temporary), cancellationToken).ConfigureAwait(false);
            using (var written = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                written.Flush(flushToDisk: true);
            }

            try
            {
                // Not overwriting: a file that appeared at the path meanwhile stays as it is.
                File.Move(temporary, path, overwrite: false);
                renamed = true;
            }
            catch (IOException) when (Exists(path))
            {
                throw Refused(file);
            }
        }
        finally
        {
            if (!renamed)
            {
                DeleteQuietly(temporary);
                DeleteQuietly(temporary + "-journal");
            }
        }
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    private static AuditUsageException Refused(string file) =>
        new($"--output: {file} exists; a backup never replaces a file: give a new name (nothing was written)", seeHelp: false);

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left behind: its name says it is a temporary copy.
        }
    }
}
