using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Tests.Support;

/// <summary>A SQLite store and the chain writer over it, as the service runs them: writes go through the writer, reads to the store.</summary>
internal sealed class TestTrail : IAuditReader, IAsyncDisposable
{
    private TestTrail(SqliteAuditStorage storage, AuditChainWriter writer)
    {
        Storage = storage;
        Writer = writer;
    }

    public SqliteAuditStorage Storage { get; }

    public AuditChainWriter Writer { get; }

    public static async Task<TestTrail> OpenAsync(string path, SqliteAuditStorageOptions? options = null, AuditChainWriterOptions? writerOptions = null)
    {
        var storage = SqliteAuditStorage.Open(path, options);
        try
        {
            return new TestTrail(storage, await AuditChainWriter.StartAsync(storage, writerOptions));
        }
        catch
        {
            await storage.DisposeAsync();
            throw;
        }
    }

    public Task<AuditReceipt> AppendAsync(IAuditEntry entry) => Writer.AppendAsync(entry);

    public Task ArchiveRevisionAsync(RuleSet ruleSet) => Writer.ArchiveRevisionAsync(ruleSet);

    public Task<StoredEntry?> GetAsync(string entryId, CancellationToken cancellationToken = default) => Storage.GetAsync(entryId, cancellationToken);

    public Task<EntryPage> ListAsync(EntryFilter filter, CancellationToken cancellationToken = default) => Storage.ListAsync(filter, cancellationToken);

    public Task<ArchivedRevision?> GetRevisionAsync(string revision, CancellationToken cancellationToken = default) => Storage.GetRevisionAsync(revision, cancellationToken);

    public Task<AuditHead> HeadAsync(CancellationToken cancellationToken = default) => Storage.HeadAsync(cancellationToken);

    public Task<IReadOnlyList<string>> ListRevisionsAsync(CancellationToken cancellationToken = default) => Storage.ListRevisionsAsync(cancellationToken);

    public IAsyncEnumerable<StoredEntry> ReadRangeAsync(long fromSequence, int count, CancellationToken cancellationToken = default) =>
        Storage.ReadRangeAsync(fromSequence, count, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync();
        await Storage.DisposeAsync();
    }
}
