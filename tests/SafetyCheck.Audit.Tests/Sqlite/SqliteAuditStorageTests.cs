using System.Collections.Concurrent;
using System.Text;
using Microsoft.Data.Sqlite;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Audit.Verification;
using static SafetyCheck.Audit.Tests.Support.AuditTestSupport;

namespace SafetyCheck.Audit.Tests.Sqlite;

/// <summary>The SQLite store under the chain writer, as the service runs them.</summary>
public class SqliteAuditStorageTests
{
    [Fact]
    public async Task Append_ChainsRecordsFromGenesis()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);

        var receipts = new List<AuditReceipt>();
        foreach (var draft in new[] { Draft(), Draft("R50.9"), Draft("L20.9") })
        {
            receipts.Add(await store.AppendAsync(draft));
        }

        Assert.Equal([1UL, 2UL, 3UL], receipts.Select(r => r.Sequence));
        var rows = await ReadAllAsync(store);
        Assert.Equal(AuditHead.GenesisHash, rows[0].PrevHash);
        Assert.Equal(rows[0].EntryHash, rows[1].PrevHash);
        Assert.Equal(rows[1].EntryHash, rows[2].PrevHash);
        Assert.Equal(receipts.Select(r => r.EntryHash), rows.Select(r => r.EntryHash));
        Assert.All(rows, r => Assert.Matches("^[0-9a-f]{64}$", r.EntryHash));
        Assert.Equal(new AuditHead(3, receipts[2].EntryHash), await store.HeadAsync());
        Assert.True((await AuditVerifier.VerifyAsync(store)).IsValid);
    }

    [Fact]
    public async Task Append_StoredRecordReadsBackAsAppended()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        var draft = Draft("R50.9", "L20.9");

        var receipt = await store.AppendAsync(draft);

        var stored = await store.GetAsync(draft.DecisionId);
        Assert.NotNull(stored);
        var record = stored.ToRecord();
        Assert.Equal(receipt, record.Receipt);
        Assert.Equal(DecisionRecordJson.Canonical(draft, 1, AuditHead.GenesisHash), stored.RecordJson);
        Assert.Equal("NOT_SUITABLE", stored.Verdict);
        Assert.Equal("""["eczema","fever","school-age-note"]""", stored.RuleIds);
        Assert.Null(await store.GetAsync(NewDecisionId()));
    }

    [Fact]
    public async Task Append_200Concurrent_GroupCommitsIntoOneUnbrokenChain()
    {
        using var dir = new TempAuditDirectory();
        var batches = new ConcurrentQueue<int>();
        var options = new SqliteAuditStorageOptions
        {
            BeforeCommit = n =>
            {
                batches.Enqueue(n);

                // Hold the first transaction briefly so that the other callers queue up behind it.
                if (batches.Count == 1)
                {
                    Thread.Sleep(50);
                }
            },
        };
        await using var store = await OpenAsync(dir.DatabasePath, options);
        var drafts = Enumerable.Range(0, 200).Select(i => Draft(i % 3 == 0 ? ["R50.9"] : [])).ToList();

        var receipts = await Task.WhenAll(drafts.Select(d => Task.Run(() => store.AppendAsync(d))));

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (ulong)i), receipts.Select(r => r.Sequence).Order());
        Assert.Equal(200, (await ReadAllAsync(store)).Select(r => r.EntryId).Distinct().Count());
        Assert.Contains(batches, n => n > 1);
        Assert.True(batches.Count < 200, $"{batches.Count} transactions for 200 records");
        var report = await AuditVerifier.VerifyAsync(store);
        Assert.True(report.IsValid, report.Message);
        Assert.Equal(200, report.EntriesChecked);
        foreach (var (draft, receipt) in drafts.Zip(receipts))
        {
            var stored = await store.GetAsync(draft.DecisionId);
            Assert.Equal((long)receipt.Sequence, stored!.Sequence);
            Assert.Equal(receipt.EntryHash, stored.EntryHash);
        }
    }

    [Theory]
    [InlineData("UPDATE entries SET verdict = 'SUITABLE'")]
    [InlineData("DELETE FROM entries")]
    [InlineData("DELETE FROM entries WHERE sequence = 1")]
    [InlineData("UPDATE revisions SET version = 'x'")]
    [InlineData("DELETE FROM revisions")]
    [InlineData("UPDATE revision_files SET content = x'00'")]
    [InlineData("DELETE FROM revision_files")]
    public async Task Triggers_RefuseUpdateAndDelete(string sql)
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        await store.AppendAsync(Draft());

        using var raw = Raw(dir.DatabasePath);
        var ex = Assert.Throws<SqliteException>(() => Execute(raw, sql));

        Assert.Contains("append-only", ex.Message);
        Assert.Equal(1, (await store.HeadAsync()).Size);
        Assert.True((await AuditVerifier.VerifyAsync(store)).IsValid);
    }

    [Fact]
    public async Task Open_SecondStoreOnTheSameFile_IsRefused()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);

        var ex = Assert.Throws<AuditStoreUnavailableException>(() => SqliteAuditStorage.Open(dir.DatabasePath));

        Assert.Contains("in use by another process", ex.Message);
    }

    [Theory]
    [InlineData("-wal")]
    [InlineData("-shm")]
    [InlineData(".key")]
    public void Open_DatabaseMissingButAFileOfItsTrailThere_IsRefusedNamingItAndNothingIsCreated(string suffix)
    {
        using var dir = new TempAuditDirectory();
        var leftover = dir.DatabasePath + suffix;
        File.WriteAllBytes(leftover, [7, 7, 7]);

        var ex = Assert.Throws<AuditStoreUnavailableException>(() => SqliteAuditStorage.Open(dir.DatabasePath));

        Assert.Equal(
            $"the audit database {dir.DatabasePath} does not exist, but files of a trail there do ({leftover}): restore the database to {dir.DatabasePath}, or, if a new trail is intended, move those files away; nothing was changed",
            ex.Message);
        Assert.Equal([leftover], Directory.GetFiles(dir.Path));
        Assert.Equal([7, 7, 7], File.ReadAllBytes(leftover));
    }

    [Fact]
    public async Task Open_NothingThere_CreatesANewTrail_AndSaysSo_ButNotOnAnExistingOne()
    {
        using var dir = new TempAuditDirectory();
        await using (var store = SqliteAuditStorage.Open(dir.DatabasePath))
        {
            Assert.True(store.CreatedNew);
        }

        await using var reopened = SqliteAuditStorage.Open(dir.DatabasePath);
        Assert.False(reopened.CreatedNew);
    }

    [UnwritableFolderFact]
    public void Open_FolderTheServiceCannotWrite_SaysPermissionDeniedOnTheLockFile()
    {
        using var dir = new TempAuditDirectory();
        Assert.True(UnwritableFolderFactAttribute.SetUnwritable(dir.Path, true));
        try
        {
            var ex = Assert.Throws<AuditStoreUnavailableException>(() => SqliteAuditStorage.Open(dir.DatabasePath));

            Assert.StartsWith($"cannot open the lock file {dir.DatabasePath}.lock: permission denied: the service's user needs write access to the directory {dir.Path}", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("in use by another process", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            UnwritableFolderFactAttribute.SetUnwritable(dir.Path, false);
        }
    }

    [Fact]
    public async Task Open_AfterDispose_ContinuesTheChain()
    {
        using var dir = new TempAuditDirectory();
        AuditReceipt first;
        await using (var store = await OpenAsync(dir.DatabasePath))
        {
            await store.AppendAsync(Draft());
            first = await store.AppendAsync(Draft());
        }

        await using (var reopened = await TestTrail.OpenAsync(dir.DatabasePath))
        {
            var next = await reopened.AppendAsync(Draft("R50.9"));

            Assert.Equal(3UL, next.Sequence);
            Assert.Equal(first.EntryHash, (await reopened.GetAsync((await ReadAllAsync(reopened))[2].EntryId))!.PrevHash);
            Assert.True((await AuditVerifier.VerifyAsync(reopened)).IsValid);
        }
    }

    [Fact]
    public async Task Append_TransactionFails_EveryCallerGetsUnavailableAndNothingIsKept()
    {
        using var dir = new TempAuditDirectory();
        var failing = 1;
        var options = new SqliteAuditStorageOptions
        {
            BeforeCommit = _ =>
            {
                if (Volatile.Read(ref failing) == 1)
                {
                    throw new IOException("disk full (injected)");
                }
            },
        };
        var store = await TestTrail.OpenAsync(dir.DatabasePath, options);
        await using (store)
        {
            await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => store.ArchiveRevisionAsync(DefaultRules));
            Volatile.Write(ref failing, 0);
            await store.ArchiveRevisionAsync(DefaultRules);
            Volatile.Write(ref failing, 1);

            var attempts = Enumerable.Range(0, 20).Select(_ => Task.Run(() => store.AppendAsync(Draft("R50.9")))).ToList();
            foreach (var attempt in attempts)
            {
                var ex = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => attempt);
                Assert.Contains("disk full (injected)", ex.Message);
            }

            Assert.Equal(AuditHead.Empty, await store.HeadAsync());
            using (var raw = Raw(dir.DatabasePath))
            using (var count = raw.CreateCommand())
            {
                count.CommandText = "SELECT COUNT(*) FROM entries;";
                Assert.Equal(0L, count.ExecuteScalar());
            }

            Volatile.Write(ref failing, 0);
            var receipt = await store.AppendAsync(Draft());

            Assert.Equal(1UL, receipt.Sequence);
            Assert.True((await AuditVerifier.VerifyAsync(store)).IsValid);
        }
    }

    public enum FileMishap
    {
        Deleted,
        FolderDeleted,
        Replaced,
        WalDeleted,
    }

    [Theory]
    [InlineData(FileMishap.Deleted, "was deleted, moved or replaced")]
    [InlineData(FileMishap.FolderDeleted, "was deleted, moved or replaced")]
    [InlineData(FileMishap.Replaced, "was deleted, moved or replaced")]
    [InlineData(FileMishap.WalDeleted, "write-ahead log")]
    public async Task Append_DatabaseGoneFromItsPath_IsUnavailableNotWrittenToAFileNoPathReaches(FileMishap mishap, string expected)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows refuses to delete or replace a file that is held open
        }

        using var dir = new TempAuditDirectory();
        var store = await OpenAsync(dir.DatabasePath);
        await using (store)
        {
            await store.AppendAsync(Draft());
            await store.Storage.CheckLivenessAsync();
            var copy = Path.Combine(Path.GetTempPath(), "safetycheck-audit-copy-" + Path.GetRandomFileName());
            switch (mishap)
            {
                case FileMishap.Deleted:
                    File.Delete(dir.DatabasePath);
                    break;
                case FileMishap.FolderDeleted:
                    Directory.Delete(dir.Path, recursive: true);
                    break;
                case FileMishap.Replaced:
                    // A restore from a copy: the same bytes, another file.
                    File.Copy(dir.DatabasePath, copy);
                    File.Move(copy, dir.DatabasePath, overwrite: true);
                    break;
                case FileMishap.WalDeleted:
                    File.Delete(dir.DatabasePath + "-wal");
                    break;
            }

            var append = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => store.AppendAsync(Draft("R50.9")));
            var liveness = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => store.Storage.CheckLivenessAsync());

            Assert.Contains(expected, append.Message, StringComparison.Ordinal);
            Assert.Contains("Stop the service before moving, restoring or deleting the audit database", append.Message, StringComparison.Ordinal);
            Assert.Contains(expected, liveness.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Append_FailureAfterSomeCommits_NextRecordLinksToTheDurableHead()
    {
        using var dir = new TempAuditDirectory();
        var failing = 0;
        var options = new SqliteAuditStorageOptions { BeforeCommit = _ => { if (Volatile.Read(ref failing) == 1) { throw new IOException("injected"); } } };
        await using var store = await OpenAsync(dir.DatabasePath, options);
        var kept = await store.AppendAsync(Draft());

        Volatile.Write(ref failing, 1);
        await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => store.AppendAsync(Draft()));
        Volatile.Write(ref failing, 0);
        var next = await store.AppendAsync(Draft());

        Assert.Equal(2UL, next.Sequence);
        Assert.Equal(kept.EntryHash, (await ReadAllAsync(store))[1].PrevHash);
        Assert.True((await AuditVerifier.VerifyAsync(store)).IsValid);
    }

    [Fact]
    public async Task Write_DatabaseLockedByAnotherConnection_SaysItIsLockedNamingThePathAndTheBusyTimeout()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath, new SqliteAuditStorageOptions { BusyTimeout = TimeSpan.FromMilliseconds(200) });
        var kept = await store.AppendAsync(Draft());
        var path = store.Storage.DatabasePath;

        using (var holder = Raw(path))
        {
            // What a sqlite3 shell does after BEGIN IMMEDIATE: it holds the write lock until it commits or rolls back.
            Execute(holder, "BEGIN IMMEDIATE;");

            var append = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => store.AppendAsync(Draft("R50.9")));
            var archive = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => store.Storage.ArchiveRevisionAsync(ArchivedRevision.Of(DefaultRules)));

            // The writer prefixes what it was writing; the store's own message is the archive's.
            foreach (var message in new[] { append.Message, archive.Message })
            {
                Assert.Contains($"the audit database {path} is locked by another process, which held it for longer than the busy timeout of 0.2 s (", message, StringComparison.Ordinal);
                Assert.Contains("stop whatever holds it (a sqlite3 shell with a transaction open", message, StringComparison.Ordinal);
                Assert.DoesNotContain("stalled", message, StringComparison.Ordinal);
            }

            Assert.StartsWith($"the audit database {path} is locked", archive.Message, StringComparison.Ordinal);
            Assert.Equal(5, Assert.IsType<SqliteException>(archive.InnerException).SqliteErrorCode & 0xFF);
            Execute(holder, "ROLLBACK;");
        }

        // Released: the next record is appended after the one kept.
        var next = await store.AppendAsync(Draft("L20.9"));
        Assert.Equal(2UL, next.Sequence);
        Assert.Equal(kept.EntryHash, (await ReadAllAsync(store))[1].PrevHash);
    }

    [Fact]
    public async Task Append_FailureOtherThanALock_KeepsSQLitesMessage()
    {
        using var dir = new TempAuditDirectory();
        var failing = 0;
        var options = new SqliteAuditStorageOptions
        {
            BeforeCommit = _ =>
            {
                if (Volatile.Read(ref failing) == 1)
                {
                    throw new SqliteException("SQLite Error 10: 'disk I/O error'.", 10);
                }
            },
        };
        await using var store = await OpenAsync(dir.DatabasePath, options);
        Volatile.Write(ref failing, 1);

        var ex = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => store.AppendAsync(Draft()));

        Assert.EndsWith(": SQLite Error 10: 'disk I/O error'.", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("locked", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_DiskFull_NamesTheDatabaseWhoseDiskIsFull()
    {
        using var dir = new TempAuditDirectory();
        var failing = 0;
        var options = new SqliteAuditStorageOptions
        {
            BeforeCommit = _ =>
            {
                if (Volatile.Read(ref failing) == 1)
                {
                    throw new SqliteException("SQLite Error 13: 'database or disk is full'.", 13);
                }
            },
        };
        await using var store = await OpenAsync(dir.DatabasePath, options);
        Volatile.Write(ref failing, 1);

        var append = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => store.AppendAsync(Draft()));
        var archive = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => store.Storage.ArchiveRevisionAsync(ArchivedRevision.Of(DefaultRules)));

        var expected = $"the disk holding {dir.DatabasePath} is full (SQLite error 13): free space; the service accepts records again by itself";
        Assert.EndsWith(expected, append.Message, StringComparison.Ordinal);
        Assert.Equal(expected, archive.Message);
    }

    [Fact]
    public async Task Append_RevisionNotArchived_IsRefused()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await TestTrail.OpenAsync(dir.DatabasePath);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.AppendAsync(Draft()));

        Assert.Equal(0, (await store.HeadAsync()).Size);
    }

    [Fact]
    public async Task Append_DuplicateDecisionId_FailsThatCallerOnly()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        var draft = Draft();
        await store.AppendAsync(draft);

        var duplicate = store.AppendAsync(draft with { Caller = "someone-else" });
        var other = store.AppendAsync(Draft());

        await Assert.ThrowsAsync<InvalidOperationException>(() => duplicate);
        Assert.Equal(2UL, (await other).Sequence);
        Assert.True((await AuditVerifier.VerifyAsync(store)).IsValid);
    }

    [Fact]
    public async Task Archive_StoresEveryFileOnceByRevision()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);

        await store.ArchiveRevisionAsync(DefaultRules);
        var files = (await store.GetRevisionAsync(DefaultRules.Identity.Revision))?.Files;

        Assert.NotNull(files);
        Assert.Equal(DefaultRules.Files.Select(f => f.Path), files.Select(f => f.Path));
        Assert.Equal(DefaultRules.Files.Select(f => Convert.ToHexString(f.Content)), files.Select(f => Convert.ToHexString(f.Content)));
        Assert.Equal(DefaultRules.Identity.Revision, Core.Rules.RevisionHasher.Compute(files));
        Assert.Equal(DefaultRules.Identity, (await store.GetRevisionAsync(DefaultRules.Identity.Revision))!.Identity);
        Assert.Null(await store.GetRevisionAsync(new string('0', 64)));
    }

    [Fact]
    public async Task Dispose_DrainsQueuedAppendsThenRefusesNewOnes()
    {
        using var dir = new TempAuditDirectory();
        var store = await OpenAsync(dir.DatabasePath);
        var pending = Enumerable.Range(0, 50).Select(_ => store.AppendAsync(Draft())).ToList();

        await store.DisposeAsync();

        Assert.Equal(50, (await Task.WhenAll(pending)).Select(r => r.Sequence).Distinct().Count());
        await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => store.AppendAsync(Draft()));
        Assert.Equal(50, (await new SqliteAuditReader(dir.DatabasePath).HeadAsync()).Size);
        await using var reopened = await TestTrail.OpenAsync(dir.DatabasePath);
    }

    [Fact]
    public async Task Open_TailRecordChanged_IsRefused()
    {
        using var dir = new TempAuditDirectory();
        await using (var store = await OpenAsync(dir.DatabasePath))
        {
            await store.AppendAsync(Draft());
            await store.AppendAsync(Draft());
        }

        using (var raw = Raw(dir.DatabasePath))
        {
            DropTriggers(raw);
            Execute(raw, "UPDATE entries SET record = replace(record, '\"SUITABLE\"', '\"NOT_SUITABLE\"') WHERE sequence = 2;");
        }

        var ex = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => TestTrail.OpenAsync(dir.DatabasePath));
        Assert.Contains("sequence 2", ex.Message);
    }

    [Fact]
    public async Task Open_DroppedTriggers_AreRestoredAndReported()
    {
        using var dir = new TempAuditDirectory();
        await using (var store = await OpenAsync(dir.DatabasePath))
        {
            Assert.Empty(store.Storage.MissingTriggers);
            await store.AppendAsync(Draft());
        }

        using (var raw = Raw(dir.DatabasePath))
        {
            Execute(raw, "DROP TRIGGER entries_no_delete; DROP TRIGGER revision_files_no_update;");
        }

        Assert.Equal(["entries_no_delete", "revision_files_no_update"], await new SqliteAuditReader(dir.DatabasePath).MissingTriggersAsync());
        await using (var reopened = SqliteAuditStorage.Open(dir.DatabasePath))
        {
            Assert.Equal(["entries_no_delete", "revision_files_no_update"], reopened.MissingTriggers);
            reopened.PrepareForWrites();
        }

        Assert.Empty(await new SqliteAuditReader(dir.DatabasePath).MissingTriggersAsync());
    }

    [Fact]
    public async Task Open_ExistingTrail_IsLeftAsFoundUntilPreparedForWrites()
    {
        using var dir = new TempAuditDirectory();
        await using (var store = await OpenAsync(dir.DatabasePath))
        {
            await store.AppendAsync(Draft());
        }

        using (var raw = Raw(dir.DatabasePath))
        {
            Execute(raw, "DROP TRIGGER entries_no_delete; PRAGMA journal_mode = DELETE;");
        }

        var before = await File.ReadAllBytesAsync(dir.DatabasePath);
        await using (var reopened = SqliteAuditStorage.Open(dir.DatabasePath))
        {
            Assert.Equal(["entries_no_delete"], reopened.MissingTriggers);
            Assert.Equal(1, (await reopened.HeadAsync()).Size);
        }

        Assert.Equal(before, await File.ReadAllBytesAsync(dir.DatabasePath));
        Assert.Equal(["entries_no_delete"], await new SqliteAuditReader(dir.DatabasePath).MissingTriggersAsync());
    }

    [Fact]
    public async Task Start_ChainThatDoesNotVerify_IsRefusedAndTheFileLeftAsFound()
    {
        using var dir = new TempAuditDirectory();
        await using (var store = await OpenAsync(dir.DatabasePath))
        {
            await store.AppendAsync(Draft());
            await store.AppendAsync(Draft());
            await store.AppendAsync(Draft());
            await store.Writer.RecordVerifiedPointAsync(await store.HeadAsync());
        }

        using (var raw = Raw(dir.DatabasePath))
        {
            Execute(raw, "DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE sequence = 3;");
        }

        var before = await File.ReadAllBytesAsync(dir.DatabasePath);
        var ex = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => TestTrail.OpenAsync(dir.DatabasePath));

        Assert.Contains("sequence 3: the log ends at 2 records but 3 were verified before: its tail was truncated", ex.Message);
        Assert.Equal(before, await File.ReadAllBytesAsync(dir.DatabasePath));
        Assert.Equal(["entries_no_delete"], await new SqliteAuditReader(dir.DatabasePath).MissingTriggersAsync());
    }

    [Fact]
    public async Task Open_DatabaseOfOtherTables_IsRefusedAndLeftAsFound()
    {
        using var dir = new TempAuditDirectory();
        using (var raw = Raw(dir.DatabasePath))
        {
            Execute(raw, "CREATE TABLE patients (name TEXT); INSERT INTO patients VALUES ('x');");
        }

        var before = await File.ReadAllBytesAsync(dir.DatabasePath);
        var ex = Assert.Throws<AuditStoreUnavailableException>(() => SqliteAuditStorage.Open(dir.DatabasePath));
        var read = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => new SqliteAuditReader(dir.DatabasePath).HeadAsync());

        Assert.Equal($"{dir.DatabasePath} is not an audit trail: it holds other tables (patients) and none of the trail's; it was left as it is (give --audit-db a new file, or an audit trail)", ex.Message);
        Assert.Equal(before, await File.ReadAllBytesAsync(dir.DatabasePath));
        Assert.Equal($"{dir.DatabasePath} is not an audit trail: it holds other tables (patients) and none of the trail's", read.Message);
    }

    [Fact]
    public async Task Read_FileThatIsNotAnSqliteDatabaseOrIsEmpty_IsNotAnAuditTrail()
    {
        using var dir = new TempAuditDirectory();
        await File.WriteAllTextAsync(dir.DatabasePath, "not a database, but long enough to have a header that SQLite reads and refuses .......................................");
        var notSqlite = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => new SqliteAuditReader(dir.DatabasePath).HeadAsync());
        var storeError = Assert.Throws<AuditStoreUnavailableException>(() => SqliteAuditStorage.Open(dir.DatabasePath));
        await File.WriteAllBytesAsync(dir.DatabasePath, []);
        var empty = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => new SqliteAuditReader(dir.DatabasePath).HeadAsync());

        Assert.Equal($"{dir.DatabasePath} is not an audit trail: it is not an SQLite database", notSqlite.Message);
        Assert.StartsWith($"{dir.DatabasePath} is not an audit trail: it is not an SQLite database", storeError.Message, StringComparison.Ordinal);
        Assert.Equal($"{dir.DatabasePath} is not an audit trail: it holds no tables (the file is empty)", empty.Message);
    }

    [UnwritableFolderFact]
    public async Task Read_WalDatabaseInAFolderThatCannotBeWritten_IsReadAsImmutable()
    {
        using var dir = new TempAuditDirectory();
        await using (var store = await OpenAsync(dir.DatabasePath))
        {
            await store.AppendAsync(Draft());
        }

        Assert.False(File.Exists(dir.DatabasePath + "-wal"));
        Assert.False(File.Exists(dir.DatabasePath + "-shm"));
        Assert.True(UnwritableFolderFactAttribute.SetUnwritable(dir.Path, true));
        try
        {
            var reader = new SqliteAuditReader(dir.DatabasePath);

            Assert.Equal(1, (await reader.HeadAsync()).Size);
            Assert.True(reader.ReadsImmutable);
            Assert.True((await AuditVerifier.VerifyAsync(reader)).IsValid);
        }
        finally
        {
            UnwritableFolderFactAttribute.SetUnwritable(dir.Path, false);
        }
    }

    [Fact]
    public async Task Read_DatabaseNotInWalMode_IsReadAndLeftInItsMode()
    {
        using var dir = new TempAuditDirectory();
        await using (var store = await OpenAsync(dir.DatabasePath))
        {
            await store.AppendAsync(Draft());
        }

        var copy = dir.DatabasePath + ".vacuumed";
        using (var raw = Raw(dir.DatabasePath))
        {
            Execute(raw, $"VACUUM INTO '{copy}';");
        }

        var reader = new SqliteAuditReader(copy);
        Assert.Equal(1, (await reader.HeadAsync()).Size);
        Assert.True((await AuditVerifier.VerifyAsync(reader)).IsValid);

        using var check = Raw(copy);
        using var command = check.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("delete", command.ExecuteScalar());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Connections_HaveFullSyncAndABusyTimeout_OnTheStoresWalDatabase(bool writable)
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        var mode = writable ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadOnly;

        using var connection = SqliteAuditDatabase.Open(SqliteAuditDatabase.ConnectionString(dir.DatabasePath, mode, TimeSpan.FromSeconds(3)), TimeSpan.FromSeconds(3));
        using var command = connection.CreateCommand();

        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "PRAGMA synchronous;";
        Assert.Equal(2L, command.ExecuteScalar());
        command.CommandText = "PRAGMA busy_timeout;";
        Assert.Equal(3000L, command.ExecuteScalar());
    }

    [Fact]
    public async Task Store_HoldsNoPatientRefAndNoBirthDate()
    {
        using var dir = new TempAuditDirectory();
        await using (var store = await OpenAsync(dir.DatabasePath))
        {
            for (var i = 0; i < 20; i++)
            {
                await store.AppendAsync(Draft(i % 2 == 0 ? ["R50.9", "L20.9"] : ["Q99.9"]));
            }

            AssertAbsentFromFiles(dir.Path);
        }

        AssertAbsentFromFiles(dir.Path);
    }

    private static void AssertAbsentFromFiles(string folder)
    {
        var secrets = new[] { PatientRef, BirthDate, BirthDate.Replace("-", "", StringComparison.Ordinal) };
        // The lock file is empty and cannot be opened while the store holds it.
        foreach (var file in Directory.EnumerateFiles(folder).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)))
        {
            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }

            foreach (var secret in secrets)
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{Path.GetFileName(file)} contains '{secret}'");
                Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)) < 0, $"{Path.GetFileName(file)} contains '{secret}' (UTF-16)");
            }
        }
    }
}
