using System.Runtime.CompilerServices;

namespace SafetyCheck.Core.Audit;

/// <summary>Streams a whole chain from a reader in short read transactions (chunks), so a long scan never holds the database.</summary>
internal static class AuditScan
{
    public const int ChunkSize = 1000;

    /// <summary>Every stored row with sequence ≤ <paramref name="upToSequence"/>, in sequence order.</summary>
    public static async IAsyncEnumerable<StoredDecision> ReadAllAsync(
        IAuditReader reader,
        long upToSequence,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var from = 1L;
        while (from <= upToSequence)
        {
            var read = 0;
            await foreach (var row in reader.ReadRangeAsync(from, ChunkSize, cancellationToken).ConfigureAwait(false))
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
