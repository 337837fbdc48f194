using System.Runtime.CompilerServices;

namespace SafetyCheck.Audit.Storage;

/// <summary>Streams a whole chain in short read transactions (chunks), so a long scan never holds the database.</summary>
public static class AuditScan
{
    public const int ChunkSize = 1000;

    /// <summary>Every stored row with sequence ≤ <paramref name="upToSequence"/>, in sequence order.</summary>
    public static IAsyncEnumerable<StoredEntry> ReadAllAsync(IAuditChain chain, long upToSequence, CancellationToken cancellationToken = default) =>
        ReadAsync(chain, 1, upToSequence, cancellationToken);

    /// <summary>Every stored row with a sequence from <paramref name="fromSequence"/> to <paramref name="upToSequence"/>, in sequence order.</summary>
    public static async IAsyncEnumerable<StoredEntry> ReadAsync(
        IAuditChain chain,
        long fromSequence,
        long upToSequence,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var from = fromSequence;
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

    /// <summary>Passes <paramref name="rows"/> through unchanged, showing each to <paramref name="observe"/> first.</summary>
    public static async IAsyncEnumerable<StoredEntry> Observe(
        IAsyncEnumerable<StoredEntry> rows,
        Action<StoredEntry> observe,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(observe);
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            observe(row);
            yield return row;
        }
    }
}
