using System.Runtime.CompilerServices;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.AuditPage;

/// <summary>
/// A store's chains as they are, counting every entry read from them through <see cref="IAuditChain.ReadRangeAsync"/>:
/// the progress of a verification that runs the library's own verifier (<c>ChainSetVerifier</c>) unchanged. Look-ups,
/// the archive and the last verified point (which the verifier checks a chain against, so that a tail cut below it is
/// found) pass through uncounted. Thread-safe.
/// </summary>
internal sealed class CountingChainSet(IAuditChainSet chains) : IAuditChainSet
{
    private long _read;

    /// <summary>Entries read so far.</summary>
    public long Read => Interlocked.Read(ref _read);

    public Task<IReadOnlyList<string>> ListChainsAsync(CancellationToken cancellationToken = default) => chains.ListChainsAsync(cancellationToken);

    public IAuditReader Chain(string chainId) => new CountingReader(chains.Chain(chainId), this);

    private sealed class CountingReader(IAuditReader reader, CountingChainSet counter) : IAuditReader, IVerifiedPointReader
    {
        public Task<AuditHead?> GetVerifiedPointAsync(CancellationToken cancellationToken = default) =>
            reader is IVerifiedPointReader points ? points.GetVerifiedPointAsync(cancellationToken) : Task.FromResult<AuditHead?>(null);

        public Task<AuditHead> HeadAsync(CancellationToken cancellationToken = default) => reader.HeadAsync(cancellationToken);

        public async IAsyncEnumerable<StoredEntry> ReadRangeAsync(long fromSequence, int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var row in reader.ReadRangeAsync(fromSequence, count, cancellationToken).ConfigureAwait(false))
            {
                Interlocked.Increment(ref counter._read);
                yield return row;
            }
        }

        public Task<StoredEntry?> GetAsync(string entryId, CancellationToken cancellationToken = default) => reader.GetAsync(entryId, cancellationToken);

        public Task<EntryPage> ListAsync(EntryFilter filter, CancellationToken cancellationToken = default) => reader.ListAsync(filter, cancellationToken);

        public Task<ArchivedRevision?> GetRevisionAsync(string revision, CancellationToken cancellationToken = default) => reader.GetRevisionAsync(revision, cancellationToken);

        public Task<IReadOnlyList<string>> ListRevisionsAsync(CancellationToken cancellationToken = default) => reader.ListRevisionsAsync(cancellationToken);
    }
}
