using Microsoft.Extensions.Logging.Abstractions;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Recording;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Core.Pipeline;
using static SafetyCheck.Audit.Tests.Support.AuditTestSupport;

namespace SafetyCheck.Audit.Tests.Recording;

/// <summary>The audit trail behind the decision pipeline's recorder port.</summary>
public sealed class ChainDecisionRecorderTests
{
    [Fact]
    public async Task Record_ArchivesTheRevisionAndAppends_ReturnsTheReceiptOfTheDurableRecord()
    {
        var storage = new MemoryAuditStorage();
        await using var writer = await AuditChainWriter.StartAsync(storage);
        var recorder = Recorder(writer);
        var decisionId = NewDecisionId();

        var receipt = await recorder.RecordAsync(DefaultRules, Assess(DefaultRules, Request("R50.9")), decisionId, new Caller("physio-app"), RecordedAt, CancellationToken.None);

        var row = Assert.Single(storage.Rows);
        Assert.Equal(new DecisionReceipt(1, row.EntryHash), receipt);
        Assert.Equal(decisionId, row.EntryId);
        Assert.Equal("NOT_SUITABLE", row.Verdict);
        Assert.True(await storage.IsRevisionArchivedAsync(DefaultRules.Identity.Revision));
        Assert.Contains("\"caller\":\"physio-app\"", row.RecordJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_AnonymousCaller_IsRecordedAsAnonymous()
    {
        var storage = new MemoryAuditStorage();
        await using var writer = await AuditChainWriter.StartAsync(storage);

        await Recorder(writer).RecordAsync(DefaultRules, Assess(DefaultRules, Request()), NewDecisionId(), Caller.Anonymous, RecordedAt, CancellationToken.None);

        Assert.Contains($"\"caller\":\"{DecisionRecordFactory.AnonymousCaller}\"", Assert.Single(storage.Rows).RecordJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_StoreFails_IsDecisionNotRecordedAndNothingIsKept()
    {
        var storage = new MemoryAuditStorage();
        await using var writer = await AuditChainWriter.StartAsync(storage);
        var recorder = Recorder(writer);
        await recorder.RecordAsync(DefaultRules, Assess(DefaultRules, Request()), NewDecisionId(), Caller.Anonymous, RecordedAt, CancellationToken.None);
        storage.FailWrites = true;

        var error = await Assert.ThrowsAsync<DecisionNotRecordedException>(async () =>
            await recorder.RecordAsync(DefaultRules, Assess(DefaultRules, Request()), NewDecisionId(), Caller.Anonymous, RecordedAt, CancellationToken.None));

        Assert.IsType<AuditStoreUnavailableException>(error.InnerException);
        Assert.Single(storage.Rows);
    }

    [Fact]
    public async Task Record_WriterRefusesTheRecord_IsDecisionNotRecorded()
    {
        var storage = new MemoryAuditStorage();
        await using var writer = await AuditChainWriter.StartAsync(storage);
        var recorder = Recorder(writer);
        var decisionId = NewDecisionId();
        await recorder.RecordAsync(DefaultRules, Assess(DefaultRules, Request()), decisionId, Caller.Anonymous, RecordedAt, CancellationToken.None);

        // The same decision id twice: the writer refuses the second record, which must not become a verdict.
        var error = await Assert.ThrowsAsync<DecisionNotRecordedException>(async () =>
            await recorder.RecordAsync(DefaultRules, Assess(DefaultRules, Request()), decisionId, Caller.Anonymous, RecordedAt, CancellationToken.None));

        Assert.IsType<InvalidOperationException>(error.InnerException, exactMatch: false);
        Assert.StartsWith("the decision record was refused by the audit writer: ", error.Message, StringComparison.Ordinal);
        Assert.Single(storage.Rows);
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("01972AD3-99C0-7A56-82B1-0CE82F9E9E52")]
    [InlineData("01972ad3-99c0-4a56-82b1-0ce82f9e9e52")]
    public async Task Record_DecisionIdNotALowercaseUuidV7_IsDecisionNotRecordedAndNothingIsWritten(string decisionId)
    {
        var storage = new MemoryAuditStorage();
        await using var writer = await AuditChainWriter.StartAsync(storage);

        // An IDecisionIdSource of the host's own may issue such ids: no record can be made, so no verdict is answered.
        var error = await Assert.ThrowsAsync<DecisionNotRecordedException>(async () =>
            await Recorder(writer).RecordAsync(DefaultRules, Assess(DefaultRules, Request()), decisionId, Caller.Anonymous, RecordedAt, CancellationToken.None));

        Assert.IsType<ArgumentException>(error.InnerException, exactMatch: false);
        Assert.StartsWith("the decision record could not be made: ", error.Message, StringComparison.Ordinal);
        Assert.Empty(storage.Rows);
        Assert.Equal(0, storage.Appends);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("physio-app")]
    public void ForRecord_UpToTheLimit_Unchanged(string? caller) =>
        Assert.Equal(caller, ChainDecisionRecorder.ForRecord(caller));

    [Fact]
    public void ForRecord_TooLong_KeepsAPrefixAndTellsLongNamesApart()
    {
        var first = ChainDecisionRecorder.ForRecord(new string('a', 300) + "1")!;
        var second = ChainDecisionRecorder.ForRecord(new string('a', 300) + "2")!;

        Assert.InRange(first.Length, 1, DecisionRecordFactory.MaxCallerLength);
        Assert.StartsWith(new string('a', 200), first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
    }

    private static ChainDecisionRecorder Recorder(AuditChainWriter writer) =>
        new(writer, TestPseudonymiser, new RevisionArchive(writer, NullLogger<RevisionArchive>.Instance));
}
