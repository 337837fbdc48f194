namespace SafetyCheck.Core.Audit;

/// <summary>One page of a list.</summary>
/// <param name="Items">Matching records in sequence order.</param>
/// <param name="NextPageToken">Opaque token for the next page; null when this is the last page.</param>
public sealed record DecisionPage(IReadOnlyList<StoredDecision> Items, string? NextPageToken);
