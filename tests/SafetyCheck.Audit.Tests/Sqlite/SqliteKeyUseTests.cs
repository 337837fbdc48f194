using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Tests.Support;

namespace SafetyCheck.Audit.Tests.Sqlite;

/// <summary>The pseudonym key the SQLite file's chain last recorded a patient under, and the latest decision under another.</summary>
public sealed class SqliteKeyUseTests
{
    private static readonly DateTimeOffset Time = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task LatestKeyUses_TheLatestDecisionNamingAPatient_OtherKindsAndDecisionsWithoutOneSkipped()
    {
        using var dir = new TempAuditDirectory();
        await WriteAsync(dir,
            new PatientDecision("d-1", Time, "k-old"),
            new PatientDecision("d-2", Time.AddMinutes(1), "k-new"),
            new PatientDecision("d-3", Time.AddMinutes(2), KeyId: null),
            new NoteEntry("n-1", Time.AddMinutes(3), "after the decisions"));

        await using var storage = SqliteAuditStorage.Open(dir.DatabasePath);
        var uses = await storage.ReadLatestKeyUsesAsync();

        Assert.Equal([("", "k-new", 2L, Time.AddMinutes(1))], uses.Select(u => (u.Chain, u.KeyId, u.Sequence, u.RecordedAt)));
    }

    [Fact]
    public async Task LatestKeyUses_NoDecisionNamingAPatient_OrOnlyBeyondTheLast64Decisions_None()
    {
        using var dir = new TempAuditDirectory();
        await WriteAsync(dir, new NoteEntry("n-1", Time, "no decision at all"));
        var reader = new SqliteAuditReader(dir.DatabasePath);
        Assert.Empty(await reader.ReadLatestKeyUsesAsync());

        await WriteAsync(dir, [
            new PatientDecision("d-0", Time, "k-old"),
            .. Enumerable.Range(1, SqliteAuditReader.KeyUseScan).Select(i => new PatientDecision($"d-{i}", Time.AddSeconds(i), KeyId: null))]);

        Assert.Empty(await reader.ReadLatestKeyUsesAsync());
    }

    [Fact]
    public async Task LatestKeyUseOtherThan_TheLatestDecisionUnderAnotherKey_NullWhenTheChainNeverChanged()
    {
        using var dir = new TempAuditDirectory();
        await WriteAsync(dir,
            new PatientDecision("d-1", Time, "k-first"),
            new PatientDecision("d-2", Time.AddMinutes(1), "k-old"),
            new PatientDecision("d-3", Time.AddMinutes(2), "k-old"),
            new PatientDecision("d-4", Time.AddMinutes(3), KeyId: null),
            new PatientDecision("d-5", Time.AddMinutes(4), "k-new"),
            new PatientDecision("d-6", Time.AddMinutes(5), "k-new"));
        var reader = new SqliteAuditReader(dir.DatabasePath);

        var before = await reader.ReadLatestKeyUseOtherThanAsync("k-new");
        var none = await reader.ReadLatestKeyUseOtherThanAsync("k-never-used-alone");

        Assert.Equal(("", "k-old", 3L, Time.AddMinutes(2)), (before!.Chain, before.KeyId, before.Sequence, before.RecordedAt));
        Assert.Equal("k-new", none!.KeyId);
        Assert.Null(await new SqliteAuditReader(await OneKeyAsync()).ReadLatestKeyUseOtherThanAsync("k-only"));

        async Task<string> OneKeyAsync()
        {
            var path = Path.Combine(dir.Path, "one-key.db");
            await using var storage = SqliteAuditStorage.Open(path);
            await using var writer = await AuditChainWriter.StartAsync(storage);
            await writer.AppendAsync(new PatientDecision("o-1", Time, "k-only"));
            await writer.AppendAsync(new PatientDecision("o-2", Time, KeyId: null));
            return path;
        }
    }

    private static async Task WriteAsync(TempAuditDirectory dir, params IAuditEntry[] entries)
    {
        await using var storage = SqliteAuditStorage.Open(dir.DatabasePath);
        await using var writer = await AuditChainWriter.StartAsync(storage);
        foreach (var entry in entries)
        {
            await writer.AppendAsync(entry);
        }
    }
}
