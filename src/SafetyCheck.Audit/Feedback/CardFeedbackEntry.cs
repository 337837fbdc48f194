using System.Text.Json.Nodes;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.Feedback;

/// <summary>
/// The chain entry of one card's feedback (<c>safetycheck.card-feedback/v2</c>): the envelope (<c>entry_id</c>,
/// <c>recorded_at</c>), <c>caller</c>, <c>service</c>, <c>card</c>, <c>decision_id</c> when the card's decision is in
/// this trail, <c>outcome</c>, <c>outcome_at</c>, and when given <c>override_reason</c> (<c>system</c>, <c>code</c>,
/// <c>display</c>) and the comment's keyed digest <c>user_comment_hmac</c> with its <c>user_comment_key_id</c>. Members
/// the feedback does not have are left out. Records written before (<c>safetycheck.card-feedback/v1</c>) have
/// <c>accepted_suggestions</c> and the unkeyed <c>user_comment_sha256</c> instead of the digest; they are read and
/// written back unchanged, at their version. <see cref="Read"/> reads either back; a verifier compares what it would
/// write with what is stored.
/// </summary>
public sealed record CardFeedbackEntry : IAuditEntry
{
    /// <summary>The schema version written.</summary>
    public const int SchemaVersion = 2;

    /// <summary>The schema version of records written before the comment had a keyed digest.</summary>
    public const int SchemaVersion1 = 1;

    /// <summary>An entry of <paramref name="feedback"/> written at <paramref name="version"/>.</summary>
    /// <param name="entryId">A UUIDv7, unique in the store.</param>
    /// <param name="recordedAt">When the service recorded it (server clock, UTC).</param>
    /// <param name="feedback">What was reported.</param>
    /// <param name="version">
    /// <see cref="SchemaVersion"/>, or <see cref="SchemaVersion1"/> for a record read back from before: each version holds
    /// only its own members.
    /// </param>
    /// <exception cref="ArgumentException">The feedback has a member its version does not (a v2 entry with accepted
    /// suggestions or a SHA-256 of the comment, a v1 entry with a keyed digest), or the version is not 1 or 2.</exception>
    public CardFeedbackEntry(string entryId, DateTimeOffset recordedAt, CardFeedback feedback, int version = SchemaVersion)
    {
        ArgumentNullException.ThrowIfNull(entryId);
        ArgumentNullException.ThrowIfNull(feedback);
        var stray = version switch
        {
            SchemaVersion when feedback.AcceptedSuggestions.Count > 0 => "accepted suggestions",
            SchemaVersion when feedback.UserCommentSha256 is not null => "an unkeyed SHA-256 of the comment",
            SchemaVersion1 when feedback.UserCommentDigest is not null => "a keyed digest of the comment",
            SchemaVersion or SchemaVersion1 => null,
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "card-feedback records are v1 or v2"),
        };
        if (stray is not null)
        {
            throw new ArgumentException($"A card-feedback/v{version} record has no {stray}.", nameof(feedback));
        }

        EntryId = entryId;
        RecordedAt = recordedAt;
        Feedback = feedback;
        Version = version;
    }

    /// <summary>A UUIDv7, unique in the store.</summary>
    public string EntryId { get; }

    /// <summary>When the service recorded it (server clock, UTC).</summary>
    public DateTimeOffset RecordedAt { get; }

    /// <summary>What was reported.</summary>
    public CardFeedback Feedback { get; }

    /// <summary>The schema version the record is written at.</summary>
    public int Version { get; }

    public string Kind => EntryKinds.CardFeedback;

    public string? Revision => null;

    public string? Verdict => null;

    public string? RuleIds => null;

    public void WriteRecord(CanonicalJsonWriter writer, long sequence, string prevHash)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var feedback = Feedback;
        writer.WriteStartObject();
        if (Version == SchemaVersion1 && feedback.AcceptedSuggestions.Count > 0)
        {
            writer.WritePropertyName("accepted_suggestions");
            writer.WriteStartArray();
            foreach (var id in feedback.AcceptedSuggestions)
            {
                writer.WriteStringValue(id);
            }

            writer.WriteEndArray();
        }

        writer.WriteString("caller", feedback.Caller);
        writer.WriteString("card", feedback.Card);
        if (feedback.DecisionId is { } decisionId)
        {
            writer.WriteString("decision_id", decisionId);
        }

        writer.WriteString("entry_id", EntryId);
        writer.WriteString("outcome", feedback.Outcome);
        writer.WritePropertyName("outcome_at");
        writer.WriteTimeValue(feedback.OutcomeAt);
        if (feedback.OverrideReason is { } reason)
        {
            writer.WritePropertyName("override_reason");
            writer.WriteStartObject();
            writer.WriteString("code", reason.Code);
            writer.WriteString("display", reason.Display);
            writer.WriteString("system", reason.System);
            writer.WriteEndObject();
        }

        writer.WriteString("prev_hash", prevHash);
        writer.WritePropertyName("recorded_at");
        writer.WriteTimeValue(RecordedAt);
        writer.WriteString("schema", EntryEnvelope.Schema(EntryKinds.CardFeedback, Version));
        writer.WriteNumber("sequence", sequence);
        writer.WriteString("service", feedback.Service);
        if (Version == SchemaVersion && feedback.UserCommentDigest is { } digest)
        {
            writer.WriteString("user_comment_hmac", digest.Hmac);
            writer.WriteString("user_comment_key_id", digest.KeyId);
        }

        if (Version == SchemaVersion1 && feedback.UserCommentSha256 is { } hash)
        {
            writer.WriteString("user_comment_sha256", hash);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Reads a stored record back, v1 or v2, taking only the members of its version (a member of the other version is
    /// left out, so the record is not what its schema writes).
    /// </summary>
    /// <exception cref="InvalidDataException">It is not a <c>safetycheck.card-feedback/v1</c> or <c>/v2</c> record.</exception>
    public static CardFeedbackEntry Read(JsonObject record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var envelope = EntryEnvelope.Read(record);
        if (envelope.Kind != EntryKinds.CardFeedback || envelope.Version is not (SchemaVersion1 or SchemaVersion))
        {
            throw new InvalidDataException(
                $"'{record["schema"]}' is not {EntryEnvelope.Schema(EntryKinds.CardFeedback, SchemaVersion1)} or {EntryEnvelope.Schema(EntryKinds.CardFeedback, SchemaVersion)}");
        }

        var v1 = envelope.Version == SchemaVersion1;

        try
        {
            OverrideReasonCode? reason = null;
            if (record["override_reason"] is JsonObject coding)
            {
                reason = new OverrideReasonCode(Text(coding, "system"), Text(coding, "code"), Text(coding, "display"));
            }

            var feedback = new CardFeedback
            {
                Caller = Text(record, "caller"),
                Service = Text(record, "service"),
                Card = Text(record, "card"),
                DecisionId = record["decision_id"]?.GetValue<string>(),
                Outcome = Text(record, "outcome"),
                OutcomeAt = AuditTime.Read(Text(record, "outcome_at")),
                AcceptedSuggestions = v1 && record["accepted_suggestions"] is JsonArray ids ? [.. ids.Select(i => i?.GetValue<string>() ?? throw new InvalidDataException("accepted_suggestions holds a null"))] : [],
                OverrideReason = reason,
                UserCommentDigest = v1 ? null : ReadDigest(record),
                UserCommentSha256 = v1 ? record["user_comment_sha256"]?.GetValue<string>() : null,
            };
            return new CardFeedbackEntry(envelope.EntryId, AuditTime.Read(envelope.RecordedAt), feedback, envelope.Version);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw new InvalidDataException("the feedback record is malformed: " + ex.Message, ex);
        }
    }

    /// <summary>The record exactly as this schema writes it, for a verifier to compare with what is stored.</summary>
    public string Canonical(long sequence, string prevHash)
    {
        using var writer = new CanonicalJsonWriter();
        WriteRecord(writer, sequence, prevHash);
        return writer.ToString();
    }

    private static KeyedDigest? ReadDigest(JsonObject record) =>
        (record["user_comment_hmac"], record["user_comment_key_id"]) switch
        {
            (null, null) => null,
            ({ } hmac, { } keyId) => new KeyedDigest(hmac.GetValue<string>(), keyId.GetValue<string>()),
            _ => throw new InvalidDataException("members 'user_comment_hmac' and 'user_comment_key_id' go together"),
        };

    private static string Text(JsonObject node, string member) =>
        node[member]?.GetValue<string>() ?? throw new InvalidDataException($"member '{member}' is missing");
}
