using SafetyCheck.Audit.Storage;

namespace SafetyCheck.AuditPage;

/// <summary>The entry just before or after another in its chain, whatever its kind.</summary>
/// <param name="EntryId">Its entry id (a decision id for decisions).</param>
/// <param name="Kind">Its kind (<see cref="EntryKinds"/>).</param>
/// <param name="Sequence">Its sequence.</param>
public sealed record ChainNeighbour(string EntryId, string Kind, long Sequence)
{
    /// <summary>True when it is a decision.</summary>
    public bool IsDecision => Kind == EntryKinds.Decision;

    /// <summary>Its page: a decision's page, or the page of an entry of another kind.</summary>
    public string Href => (IsDecision ? "/audit/decisions/" : "/audit/entries/") + Uri.EscapeDataString(EntryId);

    /// <summary>What it is, for a link's text: empty for a decision, else e.g. <c>a reload entry, sequence 31</c>.</summary>
    public string Label => IsDecision ? "" : $"a {Kind} entry, sequence {Sequence}";
}
