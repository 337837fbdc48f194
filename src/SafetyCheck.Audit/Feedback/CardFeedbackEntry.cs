using System.Text.Json.Nodes;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.Feedback;

/// <summary>
/// The chain entry of one card's feedback (<c>safetycheck.card-feedback/v1</c>): the envelope (<c>entry_id</c>,
/// <c>recorded_at</c>), <c>caller</c>, <c>service</c>, <c>card</c>, <c>decision_id</c> when the card's decision is in
/// this trail, <c>outcome</c>, <c>outcome_at</c>, and when given <c>accepted_suggestions</c>, <c>override_reason</c>
/// (<c>system</c>, <c>code</c>, <c>display</c>) and <c>user_comment_sha256</c>. Members the feedback does not have are
/// left out. <see cref="Read"/> reads one back; a verifier compares what it would write with what is stored.
/// </summary>
/// <param name="EntryId">A UUIDv7, unique in the store.</param>
/// <param name="RecordedAt">When the service recorded it (server clock, UTC).</param>
/// <param name="Feedback">What was reported.</param>
public sealed record CardFeedbackEntry(string EntryId, DateTimeOffset RecordedAt, CardFeedback Feedback) : IAuditEntry
{
    /// <summary>The schema version written.</summary>
    public const int SchemaVersion = 1;

    public string Kind => EntryKinds.CardFeedback;

    public string? Revision => null;

    public string? Verdict => null;

    public string? RuleIds => null;

    public void WriteRecord(CanonicalJsonWriter writer, long sequence, string prevHash)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var feedback = Feedback;
        writer.WriteStartObject();
        if (feedback.AcceptedSuggestions.Count > 0)
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
        writer.WriteString("schema", EntryEnvelope.Schema(EntryKinds.CardFeedback, SchemaVersion));
        writer.WriteNumber("sequence", sequence);
        writer.WriteString("service", feedback.Service);
        if (feedback.UserCommentSha256 is { } hash)
        {
            writer.WriteString("user_comment_sha256", hash);
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads a stored record back.</summary>
    /// <exception cref="InvalidDataException">It is not a <c>safetycheck.card-feedback/v1</c> record.</exception>
    public static CardFeedbackEntry Read(JsonObject record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var envelope = EntryEnvelope.Read(record);
        if (envelope.Kind != EntryKinds.CardFeedback || envelope.Version != SchemaVersion)
        {
            throw new InvalidDataException($"'{record["schema"]}' is not {EntryEnvelope.Schema(EntryKinds.CardFeedback, SchemaVersion)}");
        }

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
                AcceptedSuggestions = record["accepted_suggestions"] is JsonArray ids ? [.. ids.Select(i => i?.GetValue<string>() ?? throw new InvalidDataException("accepted_suggestions holds a null"))] : [],
                OverrideReason = reason,
                UserCommentSha256 = record["user_comment_sha256"]?.GetValue<string>(),
            };
            return new CardFeedbackEntry(envelope.EntryId, AuditTime.Read(envelope.RecordedAt), feedback);
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

    private static string Text(JsonObject node, string member) =>
        node[member]?.GetValue<string>() ?? throw new InvalidDataException($"member '{member}' is missing");
}
