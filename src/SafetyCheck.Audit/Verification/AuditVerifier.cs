using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Checkpoints;
using SafetyCheck.Audit.Feedback;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Domain;

namespace SafetyCheck.Audit.Verification;

/// <summary>
/// Recomputes a chain from sequence 1, streaming, and reports the first record that fails: a missing sequence, a
/// record that does not hash to its entry hash, a broken <c>prev_hash</c> link, a record that is not canonical or whose
/// bound sequence or previous hash differ from its row, or index columns that disagree with the record. Decision
/// records (v1 and v2) are read in full, and a v2 record must be exactly what its schema writes; entries of kinds this
/// build does not know are checked by hash, link and envelope (kind, id, time) only, and counted in the message. Given
/// a signed checkpoint, it also detects a truncated tail and a rewritten chain; so it does against the last verified
/// point a store recorded (<see cref="IVerifiedPointReader"/>), which the service's start checks too, so that what the
/// service refuses to start on, a verification reports. Given a reader (a store), it goes on to
/// the archive replay depends on (<see cref="ArchiveVerifier"/>). Reads only; safe while the store appends (records
/// appended after the scan started are not checked).
/// </summary>
public static class AuditVerifier
{
    /// <summary>"1 record verifies" or "N records verify": the count verified, as reports and the CLI word it.</summary>
    public static string RecordsVerify(long count) =>
        count == 1 ? "1 record verifies" : string.Create(CultureInfo.InvariantCulture, $"{count} records verify");

    /// <summary>
    /// Verifies every record in <paramref name="chain"/> up to its head when the call starts (the chain only), and, when
    /// its store keeps verified points (<see cref="IVerifiedPointReader"/>), that the chain still reaches the last one with
    /// the same entry hash there.
    /// </summary>
    /// <param name="chain">The chain: a store, or a read-only reader.</param>
    /// <param name="checkpoint">A checkpoint kept by the auditor, or null to verify the chain alone.</param>
    /// <param name="checkpointKey">The P-256 key the checkpoint must verify with; required with a checkpoint.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    public static async Task<VerificationReport> VerifyAsync(
        IAuditChain chain,
        Checkpoint? checkpoint = null,
        ECDsa? checkpointKey = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var point = await VerifiedPointOfAsync(chain, cancellationToken).ConfigureAwait(false);
        var head = await chain.HeadAsync(cancellationToken).ConfigureAwait(false);
        return await VerifyAsync(AuditScan.ReadAllAsync(chain, head.Size, cancellationToken), point, checkpoint, checkpointKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Verifies everything a replay depends on: the chain up to its head when the call starts (as the chain overload),
    /// then the archive (<see cref="ArchiveVerifier"/>): every revision an entry names, or the checkpoint signed, is
    /// archived, and every archived revision's files still hash to it.
    /// </summary>
    /// <param name="reader">The store, or a read-only reader of it.</param>
    /// <param name="checkpoint">A checkpoint kept by the auditor, or null to verify the store alone.</param>
    /// <param name="checkpointKey">The P-256 key the checkpoint must verify with; required with a checkpoint.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    public static async Task<VerificationReport> VerifyAsync(
        IAuditReader reader,
        Checkpoint? checkpoint = null,
        ECDsa? checkpointKey = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var point = await VerifiedPointOfAsync(reader, cancellationToken).ConfigureAwait(false);
        var head = await reader.HeadAsync(cancellationToken).ConfigureAwait(false);
        var referenced = new Dictionary<string, long>(StringComparer.Ordinal);
        var chain = await VerifyAsync(
            AuditScan.Observe(AuditScan.ReadAllAsync(reader, head.Size, cancellationToken), row => NoteRevision(referenced, row), cancellationToken),
            point, checkpoint, checkpointKey, cancellationToken).ConfigureAwait(false);
        return chain.IsValid
            ? await ArchiveVerifier.VerifyAsync(reader, referenced, checkpoint?.Revisions ?? [], chain, cancellationToken).ConfigureAwait(false)
            : chain;
    }

    /// <summary>
    /// Verifies the entries after <paramref name="verifiedPoint"/>, a head an earlier verification found intact: the
    /// entry at its sequence must still be intact with the same hash, and every later entry up to the head is checked as
    /// a full verification checks it. From sequence 1 when <paramref name="verifiedPoint"/> is null. What a service runs
    /// before it appends; a full verification (with the archive) still covers what lies before the point.
    /// </summary>
    public static async Task<VerificationReport> VerifyFromAsync(IAuditChain chain, AuditHead? verifiedPoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var head = await chain.HeadAsync(cancellationToken).ConfigureAwait(false);
        if (verifiedPoint is null || verifiedPoint.Size == 0)
        {
            return await VerifyAsync(AuditScan.ReadAllAsync(chain, head.Size, cancellationToken), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var point = verifiedPoint;
        if (head.Size < point.Size)
        {
            return new VerificationReport(
                VerificationProblem.TruncatedTail, 0, head, head.Size + 1,
                string.Create(CultureInfo.InvariantCulture, $"sequence {head.Size + 1}: the log ends at {head.Size} records but {point.Size} were verified before: its tail was truncated"));
        }

        StoredEntry? atPoint = null;
        await foreach (var row in chain.ReadRangeAsync(point.Size, 1, cancellationToken).ConfigureAwait(false))
        {
            atPoint = row;
        }

        var problem = atPoint is null || atPoint.Sequence != point.Size ? (VerificationProblem.SequenceGap, "the record is missing")
            : !ChainHash.IsIntact(atPoint) ? (VerificationProblem.EntryHashMismatch, "the record does not hash to its entry_hash: it was changed")
            : !string.Equals(atPoint.EntryHash, point.HeadHash, StringComparison.Ordinal) ? (VerificationProblem.RewrittenChain, $"its entry hash is {atPoint.EntryHash} but {point.HeadHash} was verified there: records up to it were rewritten")
            : (VerificationProblem.None, "");
        if (problem.Item1 != VerificationProblem.None)
        {
            return new VerificationReport(problem.Item1, 0, AuditHead.Empty, point.Size, string.Create(CultureInfo.InvariantCulture, $"sequence {point.Size} (verified before): {problem.Item2}"));
        }

        return await VerifyRowsAsync(AuditScan.ReadAsync(chain, point.Size + 1, head.Size, cancellationToken), point, null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Verifies a stream of rows in sequence order (from a store, or read back from a JSON Lines export).</summary>
    public static Task<VerificationReport> VerifyAsync(
        IAsyncEnumerable<StoredEntry> entries,
        Checkpoint? checkpoint = null,
        ECDsa? checkpointKey = null,
        CancellationToken cancellationToken = default) =>
        VerifyAsync(entries, null, checkpoint, checkpointKey, cancellationToken);

    /// <summary>
    /// Verifies a stream of rows in sequence order, and that they reach <paramref name="verifiedPoint"/> (the last
    /// verified point the store recorded, <see cref="IVerifiedPointReader"/>) with the same entry hash there: a chain that
    /// ends before it was truncated (<see cref="VerificationProblem.TruncatedTail"/>, worded as the service's start
    /// words it), one whose hash there differs was rewritten (<see cref="VerificationProblem.RewrittenChain"/>).
    /// </summary>
    public static async Task<VerificationReport> VerifyAsync(
        IAsyncEnumerable<StoredEntry> entries,
        AuditHead? verifiedPoint,
        Checkpoint? checkpoint,
        ECDsa? checkpointKey,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (checkpoint is not null)
        {
            ArgumentNullException.ThrowIfNull(checkpointKey);
            if (!checkpoint.VerifySignature(checkpointKey))
            {
                return new VerificationReport(
                    VerificationProblem.CheckpointSignatureInvalid, 0, AuditHead.Empty, null,
                    $"the checkpoint's signature does not verify with key {Checkpoint.KeyIdOf(checkpointKey)} (signed by {checkpoint.KeyId})");
            }
        }

        return await VerifyRowsAsync(entries, AuditHead.Empty, checkpoint, verifiedPoint is { Size: > 0 } ? verifiedPoint : null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The last verified point of <paramref name="chain"/>'s store, when it keeps them.</summary>
    private static async Task<AuditHead?> VerifiedPointOfAsync(IAuditChain chain, CancellationToken cancellationToken) =>
        chain is IVerifiedPointReader points ? await points.GetVerifiedPointAsync(cancellationToken).ConfigureAwait(false) : null;

    /// <summary>
    /// Verifies rows that continue <paramref name="start"/>, the checkpoint's head when one is given (its signature
    /// already checked), and the verified point when one is given.
    /// </summary>
    private static async Task<VerificationReport> VerifyRowsAsync(
        IAsyncEnumerable<StoredEntry> entries,
        AuditHead start,
        Checkpoint? checkpoint,
        AuditHead? verifiedPoint,
        CancellationToken cancellationToken)
    {
        string? hashAtPoint = null;
        var expected = start.Size + 1;
        var prev = start.HeadHash;
        var checkedCount = 0L;
        var otherKinds = 0L;
        string? hashAtCheckpoint = null;
        await foreach (var row in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (CheckEntry(row, expected, prev) is { } problem)
            {
                return new VerificationReport(problem.Kind, checkedCount, new AuditHead(expected - 1, prev), problem.Sequence, $"sequence {problem.Sequence}: {problem.Message}");
            }

            if (checkpoint is not null && row.Sequence == checkpoint.Size)
            {
                hashAtCheckpoint = row.EntryHash;
            }

            if (verifiedPoint is not null && row.Sequence == verifiedPoint.Size)
            {
                hashAtPoint = row.EntryHash;
            }

            prev = row.EntryHash;
            expected = row.Sequence + 1;
            checkedCount++;
            otherKinds += IsReadable(row.Kind) ? 0 : 1;
        }

        var head = new AuditHead(expected - 1, prev);
        if (checkpoint is not null)
        {
            if (head.Size < checkpoint.Size)
            {
                return new VerificationReport(
                    VerificationProblem.TruncatedTail, checkedCount, head, head.Size + 1,
                    $"sequence {head.Size + 1}: the log ends at {head.Size} records but the checkpoint of {AuditTime.Write(checkpoint.Time)} was signed at {checkpoint.Size}: its tail was truncated");
            }

            var atSize = checkpoint.Size == 0 ? AuditHead.GenesisHash : hashAtCheckpoint;
            if (!string.Equals(atSize, checkpoint.HeadHash, StringComparison.Ordinal))
            {
                return new VerificationReport(
                    VerificationProblem.RewrittenChain, checkedCount, head, null,
                    $"the entry hash at sequence {checkpoint.Size} is {atSize} but the checkpoint of {AuditTime.Write(checkpoint.Time)} signed {checkpoint.HeadHash}: records up to {checkpoint.Size} were rewritten");
            }
        }

        if (verifiedPoint is not null)
        {
            if (head.Size < verifiedPoint.Size)
            {
                return new VerificationReport(
                    VerificationProblem.TruncatedTail, checkedCount, head, head.Size + 1,
                    string.Create(CultureInfo.InvariantCulture, $"sequence {head.Size + 1}: the log ends at {head.Size} records but {verifiedPoint.Size} were verified before: its tail was truncated"));
            }

            if (!string.Equals(hashAtPoint, verifiedPoint.HeadHash, StringComparison.Ordinal))
            {
                return new VerificationReport(
                    VerificationProblem.RewrittenChain, checkedCount, head, null,
                    string.Create(CultureInfo.InvariantCulture, $"sequence {verifiedPoint.Size} (verified before): its entry hash is {hashAtPoint} but {verifiedPoint.HeadHash} was verified there: records up to it were rewritten"));
            }
        }

        var kinds = otherKinds == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" ({otherKinds} of kinds this build does not read, by hash, link and envelope)");
        var after = start.Size == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" after the verified point at {start.Size}");
        var suffix = checkpoint is null ? "" : string.Create(CultureInfo.InvariantCulture, $"; consistent with the checkpoint at {checkpoint.Size}");
        return new VerificationReport(VerificationProblem.None, checkedCount, head, null, $"{RecordsVerify(checkedCount)}{after}{kinds}; head {head.HeadHash}{suffix}");
    }

    /// <summary>Notes the first sequence that names each revision.</summary>
    private static void NoteRevision(Dictionary<string, long> referenced, StoredEntry row)
    {
        if (row.Revision is { } revision)
        {
            referenced.TryAdd(revision, row.Sequence);
        }
    }

    /// <summary>Checks one row: its sequence, its link, its hash, its bound fields and its index columns. Null when it verifies.</summary>
    internal static EntryProblem? CheckEntry(StoredEntry row, long expectedSequence, string expectedPrevHash)
    {
        if (row.Sequence != expectedSequence)
        {
            return new EntryProblem(
                expectedSequence, VerificationProblem.SequenceGap,
                $"expected sequence {expectedSequence} but the next record is {row.Sequence}: {(row.Sequence > expectedSequence ? "records are missing" : "records are out of order")}");
        }

        if (!ChainHash.IsIntact(row))
        {
            return new EntryProblem(row.Sequence, VerificationProblem.EntryHashMismatch, "the record does not hash to its entry_hash: it was changed");
        }

        if (!string.Equals(row.PrevHash, expectedPrevHash, StringComparison.Ordinal))
        {
            return new EntryProblem(
                row.Sequence, VerificationProblem.PrevHashLinkBroken,
                $"prev_hash {row.PrevHash} is not the entry hash of the previous record ({expectedPrevHash}): this record or the one before it was changed and re-hashed");
        }

        return CheckContent(row);
    }

    private static bool IsReadable(string kind) =>
        kind is EntryKinds.Decision or EntryKinds.Outage or EntryKinds.CardFeedback or EntryKinds.Reload;

    private static EntryProblem? CheckContent(StoredEntry row)
    {
        JsonObject root;
        EntryEnvelope envelope;
        DecisionRecord? record = null;
        try
        {
            root = JsonNode.Parse(row.RecordJson) as JsonObject ?? throw new InvalidDataException("a record is a JSON object");
            if (!string.Equals(CanonicalJson.Serialize(root), row.RecordJson, StringComparison.Ordinal))
            {
                return new EntryProblem(row.Sequence, VerificationProblem.RecordMalformed, "the record is not in canonical JSON form");
            }

            envelope = EntryEnvelope.Read(root);
            if (envelope.Kind == EntryKinds.Decision)
            {
                record = DecisionRecordJson.Parse(root, row.EntryHash);
            }
            else if (envelope.Kind == EntryKinds.Outage && !IsOutageAsWritten(root, envelope, row))
            {
                return new EntryProblem(row.Sequence, VerificationProblem.RecordMalformed, "the record is not exactly what schema outage/v1 writes for its content");
            }
            else if (envelope.Kind == EntryKinds.CardFeedback && !string.Equals(CardFeedbackEntry.Read(root).Canonical(row.Sequence, row.PrevHash), row.RecordJson, StringComparison.Ordinal))
            {
                return new EntryProblem(row.Sequence, VerificationProblem.RecordMalformed, $"the record is not exactly what schema card-feedback/v{envelope.Version} writes for its content (a member is unknown or written at its default)");
            }
            else if (envelope.Kind == EntryKinds.Reload && !ReloadRecord.IsAsWritten(root, row.RecordJson, row.Sequence, row.PrevHash))
            {
                return new EntryProblem(row.Sequence, VerificationProblem.RecordMalformed, "the record is not exactly what schema reload/v1 writes for its content");
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or ArgumentException)
        {
            var what = row.Kind switch
            {
                EntryKinds.Decision => "decision record",
                EntryKinds.CardFeedback => "card feedback record",
                EntryKinds.Reload => "reload record",
                _ => "chain entry",
            };
            return new EntryProblem(row.Sequence, VerificationProblem.RecordMalformed, $"the record is not a {what}: {ex.Message}");
        }

        if (envelope.Sequence != row.Sequence || !string.Equals(envelope.PrevHash, row.PrevHash, StringComparison.Ordinal))
        {
            return new EntryProblem(row.Sequence, VerificationProblem.RecordMalformed, "the sequence or prev_hash inside the record differs from its row");
        }

        if (record is { SchemaVersion: 2 } && !string.Equals(DecisionRecordJson.Canonical(record.Content, row.Sequence, row.PrevHash), row.RecordJson, StringComparison.Ordinal))
        {
            return new EntryProblem(row.Sequence, VerificationProblem.RecordMalformed, "the record is not exactly what schema v2 writes for its content (a member is unknown or written at its default)");
        }

        var mismatched = new List<string>();
        Compare(mismatched, "kind", row.Kind, envelope.Kind);
        Compare(mismatched, EntryEnvelope.IdMember(envelope.Kind), row.EntryId, envelope.EntryId);
        Compare(mismatched, "recorded_at", row.RecordedAt, envelope.RecordedAt);
        if (record is not null)
        {
            var content = record.Content;
            Compare(mismatched, "verdict", row.Verdict, EnumNames.Of(content.Verdict));
            Compare(mismatched, "revision", row.Revision, content.Revision);
            Compare(mismatched, "rule_ids", row.RuleIds, DecisionRecordJson.RuleIdsColumn(content.FiredRuleIds));
        }
        else
        {
            // Entries other than decisions have no verdict or rule ids; their revision, if any, is in the envelope.
            Compare(mismatched, "verdict", row.Verdict, null);
            Compare(mismatched, "revision", row.Revision, envelope.Revision);
            Compare(mismatched, "rule_ids", row.RuleIds, null);
        }

        return mismatched.Count == 0
            ? null
            : new EntryProblem(row.Sequence, VerificationProblem.IndexColumnMismatch, $"the row's {string.Join(", ", mismatched)} disagree{(mismatched.Count == 1 ? "s" : "")} with its record");
    }

    /// <summary>True when an outage record is exactly what <see cref="OutageEntry"/> writes for its members.</summary>
    /// <exception cref="InvalidDataException">A member is missing or mistyped.</exception>
    private static bool IsOutageAsWritten(JsonObject root, EntryEnvelope envelope, StoredEntry row)
    {
        if (envelope.Version != OutageEntry.SchemaVersion)
        {
            return false;
        }

        try
        {
            var since = AuditTime.Read(root["failed_since"]?.GetValue<string>() ?? throw new InvalidDataException("member 'failed_since' is missing"));
            var writes = root["failed_writes"]?.GetValue<long>() ?? throw new InvalidDataException("member 'failed_writes' is missing");
            var entry = new OutageEntry(envelope.EntryId, new AuditOutage(since, AuditTime.Read(envelope.RecordedAt), writes));
            using var json = new CanonicalJsonWriter();
            entry.WriteRecord(json, row.Sequence, row.PrevHash);
            return string.Equals(json.ToString(), row.RecordJson, StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw new InvalidDataException("an outage member is malformed: " + ex.Message, ex);
        }
    }

    private static void Compare(List<string> mismatched, string column, string? stored, string? expected)
    {
        if (!string.Equals(stored, expected, StringComparison.Ordinal))
        {
            mismatched.Add(column);
        }
    }

    /// <summary>The first failure found in a row.</summary>
    internal sealed record EntryProblem(long Sequence, VerificationProblem Kind, string Message);
}
