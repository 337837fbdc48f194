namespace SafetyCheck.Audit.Replay;

/// <summary>How a replay ended.</summary>
public enum ReplayStatus
{
    /// <summary>The replayed decision equals the recorded one.</summary>
    Match = 0,

    /// <summary>The replayed decision differs; the differences are listed.</summary>
    Differs = 1,

    /// <summary>The record's revision is not in the archive.</summary>
    RevisionNotArchived = 2,

    /// <summary>The archived files no longer load (or hold an unsafe path): the archive was damaged.</summary>
    RevisionUnloadable = 3,

    /// <summary>The archived files load but hash to another revision: the archive was changed.</summary>
    RevisionMismatch = 4,
}
