using System.Globalization;
using SafetyCheck.Audit.Json;

namespace SafetyCheck.Audit.Pseudonyms;

/// <summary>
/// Compares the pseudonym key an instance uses with the keys the chains of a shared store last recorded patients under
/// (<see cref="ChainKeyUse"/>): a patient pseudonymised under one key cannot be linked with the same patient under
/// another, so every instance of a store must use the same key. Only key ids are compared (the keys are never stored):
/// two instances with different keys and the same configured key id are not told apart.
/// </summary>
public static class PseudonymKeyComparison
{
    /// <summary>
    /// Chains whose latest decision with a patient is older than this, before the newest such decision of the store,
    /// are not compared at start: chains that stopped long before (pods gone before a key rotation, say) are history,
    /// and the chains in use are those that recorded lately.
    /// </summary>
    public static readonly TimeSpan RecentWindow = TimeSpan.FromHours(1);

    /// <summary>
    /// The chains in use whose latest decision with a patient carries another key id than <paramref name="keyId"/>:
    /// of <paramref name="uses"/>, those recorded within <see cref="RecentWindow"/> of the newest of them, in chain order.
    /// </summary>
    public static IReadOnlyList<ChainKeyUse> OtherKeysInUse(IReadOnlyList<ChainKeyUse> uses, string keyId)
    {
        ArgumentNullException.ThrowIfNull(uses);
        ArgumentNullException.ThrowIfNull(keyId);
        if (uses.Count == 0)
        {
            return [];
        }

        var newest = uses.Max(u => u.RecordedAt);
        return [.. uses
            .Where(u => u.RecordedAt >= newest - RecentWindow && !string.Equals(u.KeyId, keyId, StringComparison.Ordinal))
            .OrderBy(u => u.Chain, StringComparer.Ordinal)];
    }

    /// <summary>
    /// <paramref name="others"/> for a log line: <c>node-b: k-e5ce5133 (sequence 12, 2026-…Z)</c>, comma-separated;
    /// <paramref name="ownChain"/>'s is marked as this instance's own, before this start.
    /// </summary>
    public static string Describe(IEnumerable<ChainKeyUse> others, string ownChain)
    {
        ArgumentNullException.ThrowIfNull(others);
        return string.Join(", ", others.Select(u => string.Create(
            CultureInfo.InvariantCulture,
            $"{u.Chain}{(string.Equals(u.Chain, ownChain, StringComparison.Ordinal) ? " (this instance's chain, before this start)" : "")}: {u.KeyId} (sequence {u.Sequence}, {AuditTime.Write(u.RecordedAt)})")));
    }

    /// <summary>
    /// A one-line note when the chains' latest decisions carry more than one key id (every chain, however old): each key
    /// id with the chains under it (at most <paramref name="chainsPerKey"/> named), most chains first; null when they
    /// carry one or none.
    /// </summary>
    public static string? MixedKeysNote(IReadOnlyList<ChainKeyUse> uses, int chainsPerKey = 5)
    {
        ArgumentNullException.ThrowIfNull(uses);
        var keys = uses.GroupBy(u => u.KeyId, StringComparer.Ordinal)
            .Select(g => (Key: g.Key, Chains: g.Select(u => u.Chain).Order(StringComparer.Ordinal).ToList()))
            .OrderByDescending(k => k.Chains.Count)
            .ThenBy(k => k.Key, StringComparer.Ordinal)
            .ToList();
        if (keys.Count < 2)
        {
            return null;
        }

        var listed = string.Join("; ", keys.Select(k => string.Create(
            CultureInfo.InvariantCulture,
            $"{k.Key} ({string.Join(", ", k.Chains.Take(chainsPerKey))}{(k.Chains.Count > chainsPerKey ? $" and {k.Chains.Count - chainsPerKey} more" : "")})")));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"note: the chains' latest decisions carry {keys.Count} pseudonym keys: {listed}; a patient recorded under one key cannot be linked with the same patient under another");
    }

    /// <summary>
    /// A one-line note when a single chain's decisions changed key: <paramref name="latest"/> is its latest decision
    /// that names a patient, <paramref name="before"/> the latest one under another key id (null when there is none:
    /// then no note). The key last changed after <paramref name="before"/>'s sequence.
    /// </summary>
    public static string? KeyChangeNote(ChainKeyUse latest, ChainKeyUse? before)
    {
        ArgumentNullException.ThrowIfNull(latest);
        return before is null
            ? null
            : string.Create(
                CultureInfo.InvariantCulture,
                $"note: the chain's decisions changed pseudonym key after sequence {before.Sequence}: {before.KeyId} up to it ({AuditTime.Write(before.RecordedAt)}), {latest.KeyId} in its latest decision that names a patient (sequence {latest.Sequence}); a patient recorded under one key cannot be linked with the same patient under another");
    }
}
