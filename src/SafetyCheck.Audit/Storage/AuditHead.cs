namespace SafetyCheck.Audit.Storage;

/// <summary>The end of a chain: how many records it holds and the entry hash of the last one.</summary>
/// <param name="Size">Number of records (the last sequence); 0 for an empty chain.</param>
/// <param name="HeadHash">Entry hash of record <paramref name="Size"/>; <see cref="GenesisHash"/> when empty.</param>
public sealed record AuditHead(long Size, string HeadHash)
{
    /// <summary>The <c>prev_hash</c> of record 1: 64 zeros.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The head of an empty chain.</summary>
    public static AuditHead Empty { get; } = new(0, GenesisHash);
}
