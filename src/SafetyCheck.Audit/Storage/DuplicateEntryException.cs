namespace SafetyCheck.Audit.Storage;

/// <summary>
/// An append was refused because entry ids in it are already stored; nothing of the batch was kept. The writer fails
/// those entries' callers and appends the rest again.
/// </summary>
public sealed class DuplicateEntryException : Exception
{
    public DuplicateEntryException()
        : this([])
    {
    }

    public DuplicateEntryException(string message)
        : base(message)
    {
        EntryIds = [];
    }

    public DuplicateEntryException(string message, Exception innerException)
        : base(message, innerException)
    {
        EntryIds = [];
    }

    /// <summary>A refusal naming every id of the batch that is already stored.</summary>
    public DuplicateEntryException(IReadOnlyList<string> entryIds)
        : base($"already recorded: {string.Join(", ", entryIds)}")
    {
        EntryIds = entryIds;
    }

    /// <summary>The ids already stored.</summary>
    public IReadOnlyList<string> EntryIds { get; }
}
