namespace SafetyCheck.Audit.Replay;

/// <summary>How often a <see cref="DecisionReplayer"/> reads a revision's archived files and checks that they hash to it.</summary>
public enum ArchiveReads
{
    /// <summary>
    /// For every replay, expansion or revision load: the answer reflects the archive at that moment. The default, and
    /// what a replayer that lives as long as a service must use (the archive may be changed under it).
    /// </summary>
    EveryReplay = 0,

    /// <summary>
    /// Once per revision for the replayer's lifetime: for a replayer made for one batch run (<c>audit replay --all</c>,
    /// <c>impact</c>) or one answer of many decisions (a ListDecisions page, see <see cref="DecisionReplayer.ForOneBatch"/>),
    /// whose answers all describe the archive as it was read during the run.
    /// </summary>
    OncePerRevision = 1,
}
