using System.Text;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.PostgreSql.Tests.Support;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Audit.Verification;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.PostgreSql.Tests;

/// <summary>
/// The primitives schema step 2 adds, on a real server: each archived file's digest (so verification names an edited
/// file), the list of revisions, and per-chain verified points that only move forward; and the step itself on a store
/// migrated before it, whose roles keep their rights.
/// </summary>
public sealed class PostgresArchiveAndVerifiedPointTests
{
    private static readonly DateTimeOffset Time = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [PostgresFact]
    public async Task Archive_KeepsDigests_AndAnEditedFileIsNamedByVerification()
    {
        await using var db = await TestPostgres.CreateAsync();
        var revision = Revision("1.0.0");
        await using (var storage = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = "node-a" }))
        {
            var writer = await AuditChainWriter.StartAsync(storage);
            await writer.ArchiveRevisionAsync(revision);
            await writer.AppendAsync(new NoteEntry("note-1", Time, "on the revision", revision.Identity.Revision));
            await writer.DisposeAsync();
        }

        await using var reader = await PostgresAuditReader.OpenAsync(db.Auditor);
        var archived = await reader.GetRevisionAsync(revision.Identity.Revision);
        var intact = await ChainSetVerifier.VerifyAsync(reader, [], null);
        await TestPostgres.ScalarAsync(db.Superuser, """
            SET session_replication_role = replica;
            UPDATE safetycheck_audit.revision_files SET content = convert_to(replace(convert_from(content, 'UTF8'), 'go ahead', 'stop'), 'UTF8') WHERE path = 'rules.json';
            """);
        var edited = await ChainSetVerifier.VerifyAsync(reader, [], null);

        Assert.Equal([revision.Identity.Revision], await reader.ListRevisionsAsync());
        Assert.Equal(revision.Files.Select(f => ArchivedRevision.DigestOf(f.Content)), archived!.Files.Select(f => archived.FileDigests[f.Path]));
        Assert.EndsWith("; 1 archived rule revision hashes to its files", Assert.Single(intact).Report.Message, StringComparison.Ordinal);
        var report = Assert.Single(edited).Report;
        Assert.Equal(VerificationProblem.ArchivedRevisionAltered, report.Problem);
        Assert.Equal("rules.json", report.File);
        Assert.Equal(1, report.FirstBadSequence);
    }

    [PostgresFact]
    public async Task VerifiedPoints_PerChain_OnlyForward_AndTheWriterStartsFromThem()
    {
        await using var db = await TestPostgres.CreateAsync();
        await using (var storage = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = "node-a" }))
        {
            var writer = await AuditChainWriter.StartAsync(storage);
            for (var i = 0; i < 3; i++)
            {
                await writer.AppendAsync(new NoteEntry($"note-{i}", Time, "n"));
            }

            await writer.DisposeAsync();
            Assert.Null(await storage.GetVerifiedPointAsync());
        }

        await using var again = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = "node-a" });
        var restarted = await AuditChainWriter.StartAsync(again);
        var point = await again.GetVerifiedPointAsync();
        await again.RecordVerifiedPointAsync(new AuditHead(2, new string('2', 64)));
        await using var other = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = "node-b" });

        Assert.Equal(3, point?.Size);
        Assert.Equal(point, await again.GetVerifiedPointAsync());
        Assert.Null(await other.GetVerifiedPointAsync());
        Assert.StartsWith("3 records verify (3 of kinds this build does not read", restarted.StartupVerification.Message, StringComparison.Ordinal);
        await restarted.DisposeAsync();
    }

    [PostgresFact]
    public async Task Migrate_StoreOfStep1_AddsDigestsAndVerifiedPoints_AndItsRolesKeepTheirRights()
    {
        await using var db = await TestPostgres.CreateAsync();

        // Back to the schema as step 1 left it, with the roles granted then.
        await TestPostgres.ScalarAsync(db.Superuser, """
            SET session_replication_role = replica;
            DROP TABLE safetycheck_audit.verified_points;
            ALTER TABLE safetycheck_audit.revision_files DROP COLUMN sha256;
            DELETE FROM safetycheck_audit.migrations WHERE version = 2;
            """);
        var result = await PostgresAuditMigrator.MigrateAsync(db.Owner, [], []);

        await using var storage = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = "node-a" });
        await storage.RecordVerifiedPointAsync(new AuditHead(1, new string('1', 64)));
        await using var reader = await PostgresAuditReader.OpenAsync(db.Auditor);

        Assert.Equal((1, 2), (result.FromVersion, result.ToVersion));
        Assert.Equal(1, (await storage.GetVerifiedPointAsync())?.Size);
        Assert.Equal(1L, await TestPostgres.ScalarAsync(db.Auditor, "SELECT count(*) FROM safetycheck_audit.verified_points"));
        Assert.Empty(await reader.MissingTriggersAsync());
    }

    /// <summary>A small revision: a manifest and one rule file, hashed as the loader hashes them.</summary>
    private static ArchivedRevision Revision(string version)
    {
        RuleSetFile[] files =
        [
            new("rules.json", Encoding.UTF8.GetBytes("""[{"RuleName": "r", "Expression": "true", "Properties": {"summary": "go ahead"}}]""")),
            new(ManifestLoader.FileName, Encoding.UTF8.GetBytes($$"""{"name": "test-rules", "version": "{{version}}"}""")),
        ];
        return new ArchivedRevision(new RulesetIdentity("test-rules", version, RevisionHasher.Compute(files)), [.. files.OrderBy(f => f.Path, StringComparer.Ordinal)]);
    }
}
