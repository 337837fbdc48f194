using System.Text.Json;
using SafetyCheck.Audit.Feedback;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// Reads a feedback body (CDS Hooks 2.0, "Feedback"): <c>{"feedback": [{card, outcome, acceptedSuggestions?,
/// overrideReason?, outcomeTimestamp}]}</c>, every problem named by its field (<c>feedback[0].outcome</c>). Nothing the
/// caller writes that could name a child is kept: <c>card</c> must be a UUID (kept in lowercase <c>D</c> form);
/// <c>overrideReason.reason</c> must be one of the <see cref="OverrideReasons"/> the cards offer (its system and one of
/// its codes), kept with the service's own display, never the caller's; <c>acceptedSuggestions</c> must be absent or
/// empty (the cards offer none); and the clinician's <c>userComment</c> is kept only as a keyed digest
/// (<see cref="Pseudonymiser.Digest"/>, for <see cref="Pseudonymiser.UserCommentPurpose"/>) with the key's id.
/// </summary>
internal static class FeedbackReader
{
    /// <summary>How far an <c>outcomeTimestamp</c> may be ahead of the service's clock (the EHR's clock may run fast).</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Most feedback items in one call.</summary>
    public const int MaxItems = 100;

    public static IReadOnlyList<CardFeedback> Read(JsonElement body, string caller, string service, Pseudonymiser pseudonymiser, DateTimeOffset now, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(pseudonymiser);
        ArgumentNullException.ThrowIfNull(violations);
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("feedback", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            violations.Add(new("feedback", "is required: an array of feedback on cards"));
            return [];
        }

        if (array.GetArrayLength() is 0 or > MaxItems)
        {
            violations.Add(new("feedback", $"must hold 1 to {MaxItems} items"));
            return [];
        }

        var items = new List<CardFeedback>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var at = $"feedback[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                violations.Add(new(at, "must be an object"));
                continue;
            }

            var card = Text(item, "card", at, violations, required: true);
            if (card is not null)
            {
                if (Guid.TryParseExact(card, "D", out var uuid))
                {
                    card = uuid.ToString("D");
                }
                else
                {
                    violations.Add(new(at + ".card", "must be the uuid of a card this service returned, e.g. 01960000-0000-7000-8000-000000000000"));
                    card = null;
                }
            }

            var outcome = Text(item, "outcome", at, violations, required: true);
            if (outcome is not null and not ("accepted" or "overridden"))
            {
                violations.Add(new(at + ".outcome", "must be 'accepted' or 'overridden'"));
            }

            DateTimeOffset outcomeAt = default;
            var timestamp = Text(item, "outcomeTimestamp", at, violations, required: true);
            if (timestamp is not null && !Rfc3339Time.TryParse(timestamp, out outcomeAt))
            {
                violations.Add(new(at + ".outcomeTimestamp", "must be an RFC 3339 date-time in UTC, e.g. 2026-03-02T10:05:31Z"));
            }

            outcomeAt = outcomeAt.ToUniversalTime();
            if (outcomeAt > now + FutureTolerance)
            {
                // A clinician's action recorded as happening after the trail records it would mislead an auditor.
                violations.Add(new(at + ".outcomeTimestamp", $"is in the future: more than {FutureTolerance.TotalMinutes:0} minutes after the service's clock ({now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ})"));
            }

            // The cards offer no suggestions: none can have been accepted, and no id a caller writes is kept.
            if (item.TryGetProperty("acceptedSuggestions", out var suggestions) && suggestions.ValueKind != JsonValueKind.Null)
            {
                if (suggestions.ValueKind != JsonValueKind.Array)
                {
                    violations.Add(new(at + ".acceptedSuggestions", "must be an array, and empty: this service's cards offer no suggestions"));
                }
                else if (suggestions.GetArrayLength() > 0)
                {
                    violations.Add(new(at + ".acceptedSuggestions[0]", "this service's cards offer no suggestions"));
                }
            }

            OverrideReasonCode? reason = null;
            KeyedDigest? comment = null;
            if (item.TryGetProperty("overrideReason", out var overrideReason) && overrideReason.ValueKind != JsonValueKind.Null)
            {
                if (overrideReason.ValueKind != JsonValueKind.Object)
                {
                    violations.Add(new(at + ".overrideReason", "must be an object"));
                }
                else
                {
                    if (overrideReason.TryGetProperty("reason", out var coding) && coding.ValueKind != JsonValueKind.Null)
                    {
                        reason = Reason(coding, at + ".overrideReason.reason", violations);
                    }

                    if (overrideReason.TryGetProperty("userComment", out var text) && text.ValueKind != JsonValueKind.Null)
                    {
                        if (text.ValueKind == JsonValueKind.String)
                        {
                            comment = pseudonymiser.Digest(Pseudonymiser.UserCommentPurpose, text.GetString()!);
                        }
                        else
                        {
                            violations.Add(new(at + ".overrideReason.userComment", "must be a string"));
                        }
                    }
                }
            }

            if (card is not null && outcome is not null)
            {
                items.Add(new CardFeedback
                {
                    Caller = caller,
                    Service = service,
                    Card = card,
                    Outcome = outcome,
                    OutcomeAt = outcomeAt,
                    OverrideReason = reason,
                    UserCommentDigest = comment,
                });
            }
        }

        return violations.Count == 0 ? items : [];
    }

    /// <summary>
    /// The override reason a coding names, as the cards offer it (the service's own display); null, with a violation
    /// for each member that is not, when it names none of them. The caller's display is not read.
    /// </summary>
    private static OverrideReasonCode? Reason(JsonElement coding, string at, List<FieldViolation> violations)
    {
        if (coding.ValueKind != JsonValueKind.Object)
        {
            violations.Add(new(at, $"must be a coding of an override reason the card offers: system {OverrideReasons.CodeSystem}, code one of {OverrideReasons.Codes}"));
            return null;
        }

        var system = coding.TryGetProperty("system", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        if (!string.Equals(system, OverrideReasons.CodeSystem, StringComparison.Ordinal))
        {
            violations.Add(new(at + ".system", $"must be {OverrideReasons.CodeSystem}, the system of the override reasons this service's cards offer"));
        }

        var code = coding.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        var offered = OverrideReasons.Find(code);
        if (offered is null)
        {
            violations.Add(new(at + ".code", $"must be one of the override reasons this service's cards offer: {OverrideReasons.Codes}"));
        }

        return string.Equals(system, OverrideReasons.CodeSystem, StringComparison.Ordinal) ? offered : null;
    }

    private static string? Text(JsonElement parent, string member, string at, List<FieldViolation> violations, bool required)
    {
        if (parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String
            && value.GetString() is { Length: > 0 } text)
        {
            if (text.Length <= CardFeedback.MaxTextLength && !text.Any(char.IsControl))
            {
                return text;
            }

            violations.Add(new($"{at}.{member}", $"must be at most {CardFeedback.MaxTextLength} characters, without control characters"));
            return null;
        }

        if (required || (parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(member, out var present) && present.ValueKind != JsonValueKind.Null))
        {
            violations.Add(new($"{at}.{member}", required ? "is required: a non-empty string" : "must be a non-empty string"));
        }

        return null;
    }
}
