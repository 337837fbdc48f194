namespace SafetyCheck.Audit.Checkpoints;

/// <summary>
/// The origin of a checkpoint of one chain in a store of several chains: <c>safetycheck-audit/&lt;store id&gt;/&lt;chain&gt;</c>.
/// The store id (given when the store was created) keeps checkpoints of two stores apart; the chain id is the last
/// segment, so a verifier knows which chain a checkpoint vouches for.
/// </summary>
public static class ChainOrigin
{
    /// <summary>Every chain origin starts with this.</summary>
    public const string Prefix = "safetycheck-audit/";

    /// <summary>The origin of chain <paramref name="chainId"/> in store <paramref name="storeId"/>.</summary>
    public static string For(string storeId, string chainId)
    {
        ArgumentException.ThrowIfNullOrEmpty(storeId);
        ArgumentException.ThrowIfNullOrEmpty(chainId);
        return $"{Prefix}{storeId}/{chainId}";
    }

    /// <summary>The chain an origin names; null when it is not a chain origin (a checkpoint of a single-chain store).</summary>
    public static string? ChainOf(string origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var slash = origin.LastIndexOf('/');
        return origin.StartsWith(Prefix, StringComparison.Ordinal) && slash >= Prefix.Length && slash < origin.Length - 1 ? origin[(slash + 1)..] : null;
    }

    /// <summary>
    /// Splits a file of one or more checkpoints (as <c>audit checkpoint</c> writes for a store of several chains: one
    /// after the other) into the text of each, every one starting at a header line (<see cref="Checkpoint.HeaderPrefix"/>, any version).
    /// </summary>
    public static IReadOnlyList<string> SplitCheckpoints(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var next = text.IndexOf("\n" + Checkpoint.HeaderPrefix, start + 1, StringComparison.Ordinal);
            var end = next < 0 ? text.Length : next + 1;
            if (!string.IsNullOrWhiteSpace(text[start..end]))
            {
                parts.Add(text[start..end]);
            }

            start = end;
        }

        return parts;
    }
}
