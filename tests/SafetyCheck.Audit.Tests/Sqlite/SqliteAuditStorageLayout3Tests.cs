using System.Runtime.InteropServices;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Audit.Verification;
using static SafetyCheck.Audit.Tests.Support.AuditTestSupport;

namespace SafetyCheck.Audit.Tests.Sqlite;

/// <summary>
/// What layout 3 adds to the SQLite store: file digests in the archive, verified points, the list of revisions, a layout 2
/// database brought forward, owner-only files whatever the umask, and a close that never waits for a frozen write.
/// </summary>
public class SqliteAuditStorageLayout3Tests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task Archive_KeepsEachFilesDigest_AndListsTheRevision()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);

        var archived = await store.GetRevisionAsync(DefaultRules.Identity.Revision);

        Assert.NotNull(archived);
        Assert.Equal(DefaultRules.Files.Select(f => (f.Path, ArchivedRevision.DigestOf(f.Content))), archived.Files.Select(f => (f.Path, archived.FileDigests[f.Path])));
        Assert.Equal([DefaultRules.Identity.Revision], await store.ListRevisionsAsync());
        Assert.Equal([DefaultRules.Identity.Revision], await new SqliteAuditReader(dir.DatabasePath).ListRevisionsAsync());
    }

    [Fact]
    public async Task Open_DatabaseWithTheIndexOnRevisionAlone_DropsIt_AndARevisionFilterStillUsesAnIndex()
    {
        using var dir = new TempAuditDirectory();
        await using (var store = await OpenAsync(dir.DatabasePath))
        {
            await store.AppendAsync(Draft());
        }

        // As databases written before: an index on revision alone beside the one on (revision, recorded_at).
        using (var raw = Raw(dir.DatabasePath))
        {
            Execute(raw, "CREATE INDEX entries_revision ON entries (revision);");
        }

        await using (var storage = SqliteAuditStorage.Open(dir.DatabasePath))
        {
            Assert.True((await AuditVerifier.VerifyAsync(storage)).IsValid);
            storage.PrepareForWrites();
            Assert.Null(storage.UpgradedFromLayout);
        }

        using var check = Raw(dir.DatabasePath);
        using var indexes = check.CreateCommand();
        indexes.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries' AND sql IS NOT NULL ORDER BY name;";
        var names = new List<string>();
        using (var reader = indexes.ExecuteReader())
        {
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        Assert.DoesNotContain("entries_revision", names);
        Assert.Contains("entries_revision_recorded_at", names);
        using var plan = check.CreateCommand();
        plan.CommandText = "EXPLAIN QUERY PLAN SELECT sequence FROM entries WHERE revision = 'r';";
        using var planned = plan.ExecuteReader();
        Assert.True(planned.Read());
        Assert.Contains("USING COVERING INDEX entries_revision_recorded_at", planned.GetString(3), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifiedPoint_MovesOnlyForward_AndIsAppendOnly()
    {
        using var dir = new TempAuditDirectory();
        await using var storage = SqliteAuditStorage.Open(dir.DatabasePath);
        var none = await storage.GetVerifiedPointAsync();

        await storage.RecordVerifiedPointAsync(new AuditHead(5, new string('5', 64)));
        await storage.RecordVerifiedPointAsync(new AuditHead(3, new string('3', 64)));
        await storage.RecordVerifiedPointAsync(new AuditHead(5, new string('6', 64)));

        Assert.Null(none);
        Assert.Equal(new AuditHead(5, new string('5', 64)), await storage.GetVerifiedPointAsync());
        using var raw = Raw(dir.DatabasePath);
        Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => Execute(raw, "UPDATE verified_points SET sequence = 99;"));
    }

    [Fact]
    public async Task Open_Layout2Database_AddsDigestsAndVerifiedPoints_KeepingWhatWasArchived()
    {
        using var dir = new TempAuditDirectory();
        await using (var store = await OpenAsync(dir.DatabasePath))
        {
            await store.AppendAsync(Draft());
        }

        // Back to layout 2 as it was written: no digest column, no verified points.
        using (var raw = Raw(dir.DatabasePath))
        {
            Execute(raw, """
                DROP TRIGGER verified_points_no_update; DROP TRIGGER verified_points_no_delete; DROP TABLE verified_points;
                ALTER TABLE revision_files DROP COLUMN sha256; PRAGMA user_version = 2;
                """);
        }

        var layout2 = await new SqliteAuditReader(dir.DatabasePath).GetRevisionAsync(DefaultRules.Identity.Revision);
        await using (var storage = SqliteAuditStorage.Open(dir.DatabasePath))
        {
            Assert.Empty(storage.MissingTriggers);
            Assert.Null(await storage.GetVerifiedPointAsync());
            var archived = await storage.GetRevisionAsync(DefaultRules.Identity.Revision);
            Assert.Empty(archived!.FileDigests);
            Assert.True((await AuditVerifier.VerifyAsync(storage)).IsValid);
            Assert.Null(storage.UpgradedFromLayout);
            storage.PrepareForWrites();
            Assert.Equal(2L, storage.UpgradedFromLayout);
        }

        // Once at layout 3, a later open has nothing to bring up to date.
        await using (var again = SqliteAuditStorage.Open(dir.DatabasePath))
        {
            again.PrepareForWrites();
            Assert.Null(again.UpgradedFromLayout);
        }

        Assert.Empty(layout2!.FileDigests);
        Assert.Equal(DefaultRules.Files.Count, layout2.Files.Count);
        using var check = Raw(dir.DatabasePath);
        using var version = check.CreateCommand();
        version.CommandText = "PRAGMA user_version;";
        Assert.Equal(3L, version.ExecuteScalar());
    }

    [Fact]
    public async Task Open_CreatesOwnerOnlyFolderAndFiles_WhateverTheUmask()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = new TempAuditDirectory();
        var folder = Path.Combine(dir.Path, ".safetycheck");
        var path = Path.Combine(folder, "audit.db");
        var previous = SetUmask(0);
        try
        {
            await using var store = await OpenAsync(path);
            await store.AppendAsync(Draft());
            _ = AuditKeyFile.LoadOrCreate(AuditKeyFile.PathFor(path));

            Assert.Equal(OwnerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            foreach (var file in new[] { path, path + "-wal", path + "-shm", path + ".lock", path + ".key" })
            {
                Assert.True(File.Exists(file), file);
                Assert.Equal(OwnerOnly, File.GetUnixFileMode(file));
            }
        }
        finally
        {
            SetUmask(previous);
        }
    }

    [Fact]
    public async Task Dispose_WhileAWriteIsFrozen_ReturnsAtOnceAndSaysItDidNotCloseCleanly()
    {
        using var dir = new TempAuditDirectory();
        using var thawed = new ManualResetEventSlim(false);
        using var entered = new ManualResetEventSlim(false);
        var storage = SqliteAuditStorage.Open(dir.DatabasePath, new SqliteAuditStorageOptions
        {
            BeforeCommit = _ =>
            {
                entered.Set();
                thawed.Wait();
            },
        });
        var frozen = Task.Run(() => storage.ArchiveRevisionAsync(ArchivedRevision.Of(DefaultRules)));
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10)));

        await storage.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(storage.ClosedCleanly);
        thawed.Set();
        await frozen;
    }

    private static uint SetUmask(uint mask) => Umask(mask);

#pragma warning disable SYSLIB1054 // One libc call in a test: LibraryImport would need unsafe code in the project.
    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
#pragma warning restore SYSLIB1054
}
