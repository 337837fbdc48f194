namespace SafetyCheck.Audit.Verification;

/// <summary>What made a verification fail.</summary>
public enum VerificationProblem
{
    /// <summary>Nothing: the chain verifies.</summary>
    None = 0,

    /// <summary>A sequence is missing (a record was deleted) or out of order.</summary>
    SequenceGap = 1,

    /// <summary>A record's JSON does not hash to its entry hash: the record was changed.</summary>
    EntryHashMismatch = 2,

    /// <summary>A record's prev_hash is not the previous record's entry hash: a record was changed and re-hashed, inserted or removed.</summary>
    PrevHashLinkBroken = 3,

    /// <summary>A record's JSON is not a canonical decision record, or the sequence or prev_hash bound into it differs from its row.</summary>
    RecordMalformed = 4,

    /// <summary>A row's index columns (decision id, time, verdict, revision, rule ids) disagree with its record, so list filters would lie.</summary>
    IndexColumnMismatch = 5,

    /// <summary>The checkpoint's signature does not verify with the given key.</summary>
    CheckpointSignatureInvalid = 6,

    /// <summary>The log holds fewer records than a signed checkpoint: its tail was truncated.</summary>
    TruncatedTail = 7,

    /// <summary>The entry hash at the checkpoint's size differs from the signed head: the chain was rewritten.</summary>
    RewrittenChain = 8,

    /// <summary>A rule revision an entry names, or one a checkpoint signed, is not in the archive: its decisions cannot be replayed.</summary>
    ArchiveRevisionMissing = 9,

    /// <summary>An archived revision's files no longer hash to it (a file was changed, added or removed), or its archived name, version or file digests were changed.</summary>
    ArchivedRevisionAltered = 10,
}
