using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Audit.Verification;
using static SafetyCheck.Audit.Tests.Support.AuditTestSupport;

namespace SafetyCheck.Audit.Tests.Chain;

/// <summary>Starting a writer verifies the chain after the store's last verified point and refuses a chain that fails.</summary>
public class AuditChainWriterStartTests
{
    [Fact]
    public async Task Start_VerifiesFromTheLastVerifiedPoint_AndRecordsTheHeadItReached()
    {
        var storage = await StorageWith(4);
        await using (var first = await AuditChainWriter.StartAsync(storage))
        {
            Assert.Equal(new AuditHead(4, storage.Rows[3].EntryHash), storage.VerifiedPoints[^1]);
            Assert.StartsWith("4 records verify; head", first.StartupVerification.Message, StringComparison.Ordinal);
            await first.AppendAsync(Draft());
            await first.AppendAsync(Draft());
        }

        await using var second = await AuditChainWriter.StartAsync(storage);

        Assert.StartsWith("2 records verify after the verified point at 4", second.StartupVerification.Message, StringComparison.Ordinal);
        Assert.Equal(6, storage.VerifiedPoints[^1].Size);
    }

    [Fact]
    public async Task Start_RecordEditedInTheMiddleAfterTheVerifiedPoint_IsRefusedNamingIt()
    {
        var storage = await StorageWith(2);
        await (await AuditChainWriter.StartAsync(storage)).DisposeAsync();
        await Append(storage, 4);
        Edit(storage, 4);

        var error = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => AuditChainWriter.StartAsync(storage));

        Assert.Contains("does not verify (sequence 4: the record does not hash to its entry_hash", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Start_EntryAtTheVerifiedPointChanged_IsRefused()
    {
        var storage = await StorageWith(3);
        await (await AuditChainWriter.StartAsync(storage)).DisposeAsync();
        Edit(storage, 3);

        var error = await Assert.ThrowsAsync<AuditStoreUnavailableException>(() => AuditChainWriter.StartAsync(storage));

        Assert.Contains("sequence 3 (verified before)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_RecordEditedBeforeTheVerifiedPoint_StartsButTheFullVerificationFails()
    {
        var storage = await StorageWith(5);
        await (await AuditChainWriter.StartAsync(storage)).DisposeAsync();
        Edit(storage, 2);

        await using var writer = await AuditChainWriter.StartAsync(storage);
        var full = await AuditVerifier.VerifyAsync(storage);

        Assert.Equal(2, full.FirstBadSequence);
    }

    [Fact]
    public async Task Start_EmptyStore_RecordsNoPoint()
    {
        var storage = new MemoryAuditStorage();

        await using var writer = await AuditChainWriter.StartAsync(storage);

        Assert.Empty(storage.VerifiedPoints);
    }

    private static async Task<MemoryAuditStorage> StorageWith(int records)
    {
        var storage = new MemoryAuditStorage();
        await using var writer = await AuditChainWriter.StartAsync(storage);
        await writer.ArchiveRevisionAsync(DefaultRules);
        for (var i = 0; i < records; i++)
        {
            await writer.AppendAsync(Draft());
        }

        // A store written before verified points were kept: none is recorded yet.
        return storage.VerifiedPoints.Count == 0 ? storage : throw new InvalidOperationException("the empty store recorded a point");
    }

    private static async Task Append(MemoryAuditStorage storage, int records)
    {
        await using var writer = await AuditChainWriter.StartAsync(storage);
        for (var i = 0; i < records; i++)
        {
            await writer.AppendAsync(Draft());
        }
    }

    private static void Edit(MemoryAuditStorage storage, long sequence) =>
        storage.Replace(sequence, r => r with { RecordJson = r.RecordJson.Replace("\"caller\":\"dev-key\"", "\"caller\":\"other\"", StringComparison.Ordinal) });
}
