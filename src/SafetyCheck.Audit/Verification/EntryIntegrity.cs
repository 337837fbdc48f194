using System.Globalization;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.Verification;

/// <summary>
/// What can be checked about one stored entry without verifying its whole chain: that its record still hashes to its
/// entry hash, that its <c>prev_hash</c> is the entry hash of the entry before it (the genesis hash for sequence 1), and
/// that the entry after it links to it. A record edited in place fails the first; one edited and re-hashed fails a
/// link. It proves nothing about the rest of the chain: <see cref="AuditVerifier"/> does. Reads only.
/// </summary>
public static class EntryIntegrity
{
    /// <summary>
    /// What is wrong with <paramref name="entry"/> as stored in <paramref name="chain"/> (its own chain), one sentence
    /// each; empty when its hash and both links hold.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The chain cannot be read.</exception>
    public static async Task<IReadOnlyList<string>> CheckAsync(IAuditChain chain, StoredEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(entry);
        var problems = new List<string>();
        var sequence = entry.Sequence;
        if (!ChainHash.IsIntact(entry))
        {
            problems.Add(Say(sequence, "the record no longer hashes to its entry_hash: it was changed"));
        }

        StoredEntry? before = null, after = null;
        await foreach (var row in chain.ReadRangeAsync(Math.Max(1, sequence - 1), 3, cancellationToken).ConfigureAwait(false))
        {
            if (row.Sequence == sequence - 1)
            {
                before = row;
            }
            else if (row.Sequence == sequence + 1)
            {
                after = row;
            }
        }

        var expectedPrev = sequence == 1 ? AuditHead.GenesisHash : before?.EntryHash;
        if (expectedPrev is null)
        {
            problems.Add(Say(sequence, Missing(sequence - 1, sequence - 1)));
        }
        else if (!string.Equals(entry.PrevHash, expectedPrev, StringComparison.Ordinal))
        {
            problems.Add(Say(sequence, BrokenLink(sequence) + (sequence == 1 ? ": it was changed" : ": it or that record was changed")));
        }

        if (after is not null && !string.Equals(after.PrevHash, entry.EntryHash, StringComparison.Ordinal))
        {
            problems.Add(Say(sequence, $"the record after it (sequence {sequence + 1}) does not link to its entry_hash: it was changed and re-hashed, or that record was changed"));
        }

        return problems;
    }

    /// <summary>
    /// How a record whose <c>prev_hash</c> does not hold is described, without the cause: not the genesis hash for
    /// sequence 1, else not the entry hash of the record before it (the same words wherever a link is checked).
    /// </summary>
    public static string BrokenLink(long sequence) => sequence == 1
        ? "its prev_hash is not the genesis hash"
        : string.Create(CultureInfo.InvariantCulture, $"its prev_hash is not the entry hash of the record before it (sequence {sequence - 1})");

    /// <summary>
    /// How the records from <paramref name="fromSequence"/> to <paramref name="toSequence"/> missing before a record are
    /// described: "the record before it (sequence N) is missing", or "the records before it (sequences N to M) are missing".
    /// </summary>
    public static string Missing(long fromSequence, long toSequence) => fromSequence == toSequence
        ? string.Create(CultureInfo.InvariantCulture, $"the record before it (sequence {fromSequence}) is missing")
        : string.Create(CultureInfo.InvariantCulture, $"the records before it (sequences {fromSequence} to {toSequence}) are missing");

    private static string Say(long sequence, string problem) =>
        string.Create(CultureInfo.InvariantCulture, $"sequence {sequence}: {problem}");
}
