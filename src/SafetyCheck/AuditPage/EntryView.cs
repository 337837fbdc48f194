using SafetyCheck.Audit.Storage;

namespace SafetyCheck.AuditPage;

/// <summary>An entry of the chain that is not a decision (a reload, an outage, a card's feedback), as its page shows it.</summary>
/// <param name="Row">The entry as stored.</param>
/// <param name="Place">Its place in the chain and its neighbours.</param>
/// <param name="Shown">Its record as <c>audit show</c> prints it (<see cref="EntryJson"/>).</param>
public sealed record EntryView(StoredEntry Row, ChainPlace Place, string Shown);
