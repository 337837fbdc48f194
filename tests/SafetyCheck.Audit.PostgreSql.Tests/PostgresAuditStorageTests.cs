using Npgsql;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.PostgreSql.Tests.Support;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Audit.Verification;

namespace SafetyCheck.Audit.PostgreSql.Tests;

/// <summary>The storage primitives on a real PostgreSQL server, through the chain writer as the service uses them.</summary>
public sealed class PostgresAuditStorageTests
{
    private static readonly DateTimeOffset Time = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [PostgresFact]
    public async Task Writer_TwoInstancesAppendingAtOnce_EachChainWholeAndVerifying_NothingLost()
    {
        await using var db = await TestPostgres.CreateAsync();
        await using var a = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = "node-a" });
        await using var b = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = "node-b" });
        var writerA = await AuditChainWriter.StartAsync(a);
        var writerB = await AuditChainWriter.StartAsync(b);

        var receipts = await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
            (i % 2 == 0 ? writerA : writerB).AppendAsync(new NoteEntry($"note-{i}", Time, $"text {i}"))));
        await writerA.DisposeAsync();
        await writerB.DisposeAsync();

        Assert.Equal(400, receipts.Length);
        await using var reader = await PostgresAuditReader.OpenAsync(db.Auditor);
        Assert.Equal(["node-a", "node-b"], await reader.ListChainsAsync());
        var reports = await ChainSetVerifier.VerifyAsync(reader, [], null);
        Assert.All(reports, r => Assert.True(r.Report.IsValid, r.Report.Message));
        Assert.Equal([200L, 200L], reports.Select(r => r.Report.EntriesChecked));
        for (var i = 0; i < 400; i += 37)
        {
            var row = await reader.GetAsync($"note-{i}");
            Assert.Equal(i % 2 == 0 ? "node-a" : "node-b", row?.Chain);
        }
    }

    [PostgresFact]
    public async Task Open_SameInstanceWhileAnotherHoldsIt_Refused_ThenOpensOnceReleased()
    {
        await using var db = await TestPostgres.CreateAsync();
        var first = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = "node-a" });

        var refused = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() =>
            PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = "node-a" }));
        Assert.Contains("held by another running instance", refused.Message, StringComparison.Ordinal);

        await first.DisposeAsync();
        await using var second = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = "node-a" });
        Assert.Equal("node-a", second.ChainId);
    }

    [PostgresFact]
    public async Task Open_DatabaseWithoutSchema_RefusedNamingTheMigration_CreatesNothing()
    {
        await using var db = await TestPostgres.CreateAsync(migrate: false);

        var refused = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => PostgresAuditStorage.OpenAsync(db.Owner));

        Assert.Contains("audit migrate", refused.Message, StringComparison.Ordinal);
        Assert.Equal(false, await TestPostgres.ScalarAsync(db.Superuser, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'safetycheck_audit')"));
    }

    [PostgresFact]
    public async Task ServiceRole_UpdateDeleteTruncate_RefusedByGrants_OwnerRefusedByTriggers()
    {
        await using var db = await TestPostgres.CreateAsync();
        await using (var storage = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = "node-a" }))
        {
            Assert.Empty(storage.ExcessRights);
            var writer = await AuditChainWriter.StartAsync(storage);
            await writer.AppendAsync(new NoteEntry("note-1", Time, "kept"));
            await writer.DisposeAsync();
        }

        foreach (var table in (string[])["entries", "chains", "revisions", "revision_files", "store", "migrations"])
        {
            foreach (var sql in (string[])[$"UPDATE safetycheck_audit.{table} SET {Column(table)} = {Column(table)}", $"DELETE FROM safetycheck_audit.{table}", $"TRUNCATE safetycheck_audit.{table}"])
            {
                var service = await Assert.ThrowsAsync<PostgresException>(() => TestPostgres.ScalarAsync(db.Service, sql));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, service.SqlState);
                var owner = await Assert.ThrowsAsync<PostgresException>(() => TestPostgres.ScalarAsync(db.Owner, sql));

                // A table another references cannot be truncated at all (0A000), before its trigger would refuse.
                Assert.Contains(owner.SqlState, (string[])[PostgresAuditSchema.AppendOnlyState, PostgresErrorCodes.FeatureNotSupported]);
            }
        }

        Assert.Equal(1L, await TestPostgres.ScalarAsync(db.Auditor, "SELECT count(*) FROM safetycheck_audit.entries"));
        Assert.Equal(1L, await TestPostgres.ScalarAsync(db.Auditor, "SELECT count(*) FROM safetycheck_audit.chains"));
        var auditor = await Assert.ThrowsAsync<PostgresException>(() => TestPostgres.ScalarAsync(db.Auditor, "INSERT INTO safetycheck_audit.chains (chain_id) VALUES ('x')"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, auditor.SqlState);
    }

    [PostgresFact]
    public async Task Insert_RowThatDoesNotLinkToTheChain_RefusedByTheDatabase()
    {
        await using var db = await TestPostgres.CreateAsync();
        await using var storage = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = "node-a" });
        var writer = await AuditChainWriter.StartAsync(storage);
        await writer.AppendAsync(new NoteEntry("note-1", Time, "first"));
        await writer.DisposeAsync();

        // Another session (even the service's role) cannot fork or extend the chain while this instance holds it.
        var forged = await Assert.ThrowsAsync<PostgresException>(() => TestPostgres.ScalarAsync(db.Service, """
            INSERT INTO safetycheck_audit.entries
            SELECT chain_id, 2, kind, 'note-2', recorded_at, verdict, revision, rule_ids, record, entry_hash, entry_hash
            FROM safetycheck_audit.entries WHERE sequence = 1
            """));
        Assert.Equal(PostgresAuditSchema.ChainHeldState, forged.SqlState);
        var broken = await Assert.ThrowsAsync<PostgresException>(() => TestPostgres.ScalarAsync(db.Service, """
            INSERT INTO safetycheck_audit.entries
            SELECT chain_id, 2, kind, 'note-2', recorded_at, verdict, revision, rule_ids, record, repeat('1', 64), entry_hash
            FROM safetycheck_audit.entries WHERE sequence = 1
            """));
        Assert.Equal(PostgresAuditSchema.BrokenLinkState, broken.SqlState);
    }

    [PostgresFact]
    public async Task Append_EntryIdStoredInAnotherChain_FailsThatCallerAlone()
    {
        await using var db = await TestPostgres.CreateAsync();
        await using var a = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = "node-a" });
        await using var b = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = "node-b" });
        var writerA = await AuditChainWriter.StartAsync(a);
        var writerB = await AuditChainWriter.StartAsync(b);
        await writerA.AppendAsync(new NoteEntry("shared-id", Time, "first"));

        var duplicate = writerB.AppendAsync(new NoteEntry("shared-id", Time, "again"));
        var other = writerB.AppendAsync(new NoteEntry("other-id", Time, "fine"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => duplicate);
        Assert.Equal(1UL, (await other).Sequence);
        Assert.Null(writerB.Health.Failure);
        await writerA.DisposeAsync();
        await writerB.DisposeAsync();
    }

    [PostgresFact]
    public async Task Append_AfterTheSessionWasKilled_Unavailable_ThenReconnectsAndContinuesTheChain()
    {
        await using var db = await TestPostgres.CreateAsync();
        await using var storage = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = "node-a", ReconnectDelay = TimeSpan.FromMilliseconds(50) });
        var writer = await AuditChainWriter.StartAsync(storage);
        await writer.AppendAsync(new NoteEntry("note-1", Time, "before"));

        await TestPostgres.ScalarAsync(db.Superuser, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = current_database() || '_service'");
        await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => writer.AppendAsync(new NoteEntry("note-2", Time, "lost with the session")));
        Assert.NotNull(writer.Health.Failure);

        AuditReceipt? receipt = null;
        for (var attempt = 0; attempt < 100 && receipt is null; attempt++)
        {
            try
            {
                receipt = await writer.AppendAsync(new NoteEntry($"note-3-{attempt}", Time, "after"));
            }
            catch (AuditStoreUnavailableException)
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal(2UL, receipt?.Sequence);
        Assert.Null(writer.Health.Failure);
        await writer.DisposeAsync();
        var report = await AuditVerifier.VerifyAsync(storage);
        Assert.True(report.IsValid, report.Message);
        Assert.Equal(2, report.EntriesChecked);
    }

    [PostgresFact]
    public async Task Liveness_SessionKilledWhileIdle_FailsWritingNothing_ThenReconnectsAndHoldsTheChainAgain()
    {
        await using var db = await TestPostgres.CreateAsync();
        var options = new PostgresAuditStorageOptions { InstanceId = "node-a", ReconnectDelay = TimeSpan.FromMilliseconds(50) };
        await using var storage = await PostgresAuditStorage.OpenAsync(db.Service, options);
        await storage.CheckLivenessAsync();

        await TestPostgres.ScalarAsync(db.Superuser, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = current_database() || '_service'");
        var lost = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => storage.CheckLivenessAsync());
        var answered = false;
        for (var attempt = 0; attempt < 100 && !answered; attempt++)
        {
            try
            {
                await storage.CheckLivenessAsync();
                answered = true;
            }
            catch (AuditStoreUnavailableException)
            {
                await Task.Delay(50);
            }
        }

        Assert.StartsWith("the audit database did not answer on the chain's connection: ", lost.Message, StringComparison.Ordinal);
        Assert.True(answered, "the liveness check did not reconnect");

        // The reconnection took the chain's lock again, as a write's would: a second instance of node-a is refused.
        var held = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => PostgresAuditStorage.OpenAsync(db.Service, options));
        Assert.Contains("is held by another running instance", held.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await TestPostgres.ScalarAsync(db.Superuser, "SELECT count(*) FROM safetycheck_audit.entries"));
    }

    [PostgresFact]
    public async Task List_AcrossChains_PagesInChainThenSequenceOrder_EveryEntryOnce()
    {
        await using var db = await TestPostgres.CreateAsync();
        foreach (var node in (string[])["node-b", "node-a"])
        {
            await using var storage = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = node });
            var writer = await AuditChainWriter.StartAsync(storage);
            for (var i = 0; i < 7; i++)
            {
                await writer.AppendAsync(new NoteEntry($"{node}-{i}", Time.AddMinutes(i), "n"));
            }

            await writer.DisposeAsync();
        }

        await using var reader = await PostgresAuditReader.OpenAsync(db.Auditor);
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await reader.ListAsync(new EntryFilter { Kind = null, PageSize = 3, PageToken = token, From = Time.AddMinutes(2) });
            seen.AddRange(page.Items.Select(e => e.EntryId));
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.Equal([.. Enumerable.Range(2, 5).Select(i => $"node-a-{i}"), .. Enumerable.Range(2, 5).Select(i => $"node-b-{i}")], seen);
        await Assert.ThrowsAsync<ArgumentException>(() => reader.ListAsync(new EntryFilter { PageToken = "after:3" }));
    }

    [PostgresFact]
    public async Task List_ByChain_NewestFirst_OnlyThatChainsEntries_InterleavedInTimeWithAnother()
    {
        await using var db = await TestPostgres.CreateAsync();
        foreach (var node in (string[])["node-a", "node-c"])
        {
            await using var storage = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = node });
            var writer = await AuditChainWriter.StartAsync(storage);
            for (var i = 0; i < 4; i++)
            {
                // node-c's entries on the even minutes, node-a's on the odd ones: the chains interleave in time.
                await writer.AppendAsync(new NoteEntry($"{node}-{i}", Time.AddMinutes((2 * i) + (node == "node-a" ? 1 : 0)), "n"));
            }

            await writer.DisposeAsync();
        }

        await using var reader = await PostgresAuditReader.OpenAsync(db.Auditor);
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await reader.ListAsync(new EntryFilter { Kind = null, Chain = "node-c", NewestFirst = true, PageSize = 3, PageToken = token });
            seen.AddRange(page.Items.Select(e => e.EntryId));
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.Equal(["node-c-3", "node-c-2", "node-c-1", "node-c-0"], seen);
        Assert.Equal("node-a-3", Assert.Single((await reader.ListAsync(new EntryFilter { Kind = null, NewestFirst = true, PageSize = 1 })).Items).EntryId);
        Assert.Equal(["node-a-0", "node-a-1"], (await reader.ListAsync(new EntryFilter { Kind = null, Chain = "node-a", PageSize = 2 })).Items.Select(e => e.EntryId));
        Assert.Empty((await reader.ListAsync(new EntryFilter { Kind = null, Chain = "node-z" })).Items);
        Assert.Empty((await reader.ListAsync(new EntryFilter { Kind = null, Chain = "no\0de" })).Items);
    }

    [PostgresFact]
    public async Task List_NulInRuleOrCaller_MatchesNothing_NulInAToken_RefusedAsNotIssued_NeverUnavailable()
    {
        await using var db = await TestPostgres.CreateAsync();
        await using (var storage = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = "node-a" }))
        {
            var writer = await AuditChainWriter.StartAsync(storage);
            await writer.AppendAsync(new NoteEntry("node-a-0", Time, "n"));
            await writer.DisposeAsync();
        }

        // PostgreSQL refuses NUL in a text parameter: asked, it would fail the query as if the store were down.
        await using var reader = await PostgresAuditReader.OpenAsync(db.Auditor);
        Assert.Single((await reader.ListAsync(new EntryFilter { Kind = null })).Items);
        Assert.Empty((await reader.ListAsync(new EntryFilter { Kind = null, RuleId = "fe\0ver" })).Items);
        Assert.Empty((await reader.ListAsync(new EntryFilter { Kind = null, Caller = "a\0b", NewestFirst = true })).Items);
        await Assert.ThrowsAsync<ArgumentException>(() => reader.ListAsync(new EntryFilter { PageToken = "c:no\0dea:1" }));
        await Assert.ThrowsAsync<ArgumentException>(() => reader.ListAsync(new EntryFilter { NewestFirst = true, PageToken = "n:2026-03-02T10:00:00.0000000Z|no\0dea|1" }));
        await Assert.ThrowsAsync<ArgumentException>(() => reader.ListAsync(new EntryFilter { RuleId = "fe\0ver", PageToken = "c:no\0dea:1" }));
    }

    private static string Column(string table) => table switch
    {
        "entries" => "verdict",
        "chains" or "store" => "created_at",
        "migrations" => "applied_at",
        "revisions" => "name",
        _ => "path",
    };
}
