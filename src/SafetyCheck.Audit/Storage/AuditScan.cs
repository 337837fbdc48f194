using System.Runtime.CompilerServices;

namespace SafetyCheck.Audit.Storage;

/// <summary>Streams a whole chain in short read transactions (chunks), so a long scan never holds the database.</summary>
public static class AuditScan
{
    public const int ChunkSize = 1000;

    /// <summary>Every stored row with sequence ≤ <paramref name="upToSequence"/>, in sequence order.</summary>
    public static async IAsyncEnumerable<StoredEntry> ReadAllAsync(
        IAuditChain chain,
        long upToSequence,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var from = 1L;
        while (from <= upToSequence)
        {
            var read = 0;
            await foreach (var row in chain.ReadRangeAsync(from, ChunkSize, cancellationToken).ConfigureAwait(false))
            {
                read++;
                if (row.Sequence > upToSequence)
                {
                    yield break;
                }

                from = row.Sequence + 1;
                yield return row;
            }

            if (read < ChunkSize)
            {
                yield break;
            }
        }
    }
}
