using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.PostgreSql.Tests.Support;
using SafetyCheck.Audit.Tests.Support;

namespace SafetyCheck.Audit.PostgreSql.Tests;

/// <summary>The pseudonym key each chain last recorded a patient under, read from a real server.</summary>
public sealed class PostgresKeyUseTests
{
    private static readonly DateTimeOffset Time = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [PostgresFact]
    public async Task LatestKeyUses_PerChain_TheLatestDecisionNamingAPatient_OtherKindsAndDecisionsWithoutOneSkipped()
    {
        await using var db = await TestPostgres.CreateAsync();
        await WriteAsync(db, "node-a",
            new PatientDecision("a-1", Time, "k-old"),
            new PatientDecision("a-2", Time.AddMinutes(1), "k-new"),
            new NoteEntry("a-note", Time.AddMinutes(2), "after the decisions"));
        await WriteAsync(db, "node-b",
            new PatientDecision("b-1", Time, "k-new"),
            new PatientDecision("b-2", Time.AddMinutes(3), KeyId: null));
        await WriteAsync(db, "node-c", new NoteEntry("c-note", Time, "no decision at all"));
        await WriteAsync(db, "node-d");

        await using var reader = await PostgresAuditReader.OpenAsync(db.Auditor);
        var uses = await reader.ReadLatestKeyUsesAsync();

        Assert.Equal(
            [("node-a", "k-new", 2L, Time.AddMinutes(1)), ("node-b", "k-new", 1L, Time)],
            uses.Select(u => (u.Chain, u.KeyId, u.Sequence, u.RecordedAt)));
    }

    [PostgresFact]
    public async Task LatestKeyUses_ThroughTheServicesStore_SameAsTheAuditorsReader()
    {
        await using var db = await TestPostgres.CreateAsync();
        await WriteAsync(db, "node-a", new PatientDecision("a-1", Time, "k-e5ce5133"));
        await using var storage = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = "node-z" });

        var uses = await storage.ReadLatestKeyUsesAsync();

        Assert.Equal([("node-a", "k-e5ce5133")], uses.Select(u => (u.Chain, u.KeyId)));
    }

    private static async Task WriteAsync(TestPostgres db, string chain, params IAuditEntry[] entries)
    {
        await using var storage = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = chain });
        await using var writer = await AuditChainWriter.StartAsync(storage);
        foreach (var entry in entries)
        {
            await writer.AppendAsync(entry);
        }
    }
}
