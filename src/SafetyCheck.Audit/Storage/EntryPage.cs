namespace SafetyCheck.Audit.Storage;

/// <summary>One page of a list.</summary>
/// <param name="Items">Matching entries in sequence order.</param>
/// <param name="NextPageToken">Opaque token for the next page; null when this is the last page.</param>
public sealed record EntryPage(IReadOnlyList<StoredEntry> Items, string? NextPageToken);
