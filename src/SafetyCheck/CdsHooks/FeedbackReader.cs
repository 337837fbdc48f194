using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SafetyCheck.Audit.Feedback;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// Reads a feedback body (CDS Hooks 2.0, "Feedback"): <c>{"feedback": [{card, outcome, acceptedSuggestions?,
/// overrideReason?, outcomeTimestamp}]}</c>, every problem named by its field (<c>feedback[0].outcome</c>). The
/// clinician's comment is kept only as its SHA-256.
/// </summary>
internal static class FeedbackReader
{
    /// <summary>Most feedback items in one call.</summary>
    public const int MaxItems = 100;

    public static IReadOnlyList<CardFeedback> Read(JsonElement body, string caller, string service, List<FieldViolation> violations)
    {
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

            var accepted = new List<string>();
            if (item.TryGetProperty("acceptedSuggestions", out var suggestions) && suggestions.ValueKind != JsonValueKind.Null)
            {
                var j = 0;
                foreach (var suggestion in suggestions.ValueKind == JsonValueKind.Array ? suggestions.EnumerateArray() : default)
                {
                    if (Text(suggestion, "id", $"{at}.acceptedSuggestions[{j++}]", violations, required: true) is { } id)
                    {
                        accepted.Add(id);
                    }
                }

                if (suggestions.ValueKind != JsonValueKind.Array)
                {
                    violations.Add(new(at + ".acceptedSuggestions", "must be an array of {\"id\": …}"));
                }
            }

            OverrideReasonCode? reason = null;
            string? commentHash = null;
            if (item.TryGetProperty("overrideReason", out var overrideReason) && overrideReason.ValueKind != JsonValueKind.Null)
            {
                if (overrideReason.ValueKind != JsonValueKind.Object)
                {
                    violations.Add(new(at + ".overrideReason", "must be an object"));
                }
                else
                {
                    if (overrideReason.TryGetProperty("reason", out var coding) && coding.ValueKind == JsonValueKind.Object)
                    {
                        var where = at + ".overrideReason.reason";
                        reason = new OverrideReasonCode(
                            Text(coding, "system", where, violations, required: false) ?? "",
                            Text(coding, "code", where, violations, required: true) ?? "",
                            Text(coding, "display", where, violations, required: false) ?? "");
                    }

                    if (overrideReason.TryGetProperty("userComment", out var comment) && comment.ValueKind != JsonValueKind.Null)
                    {
                        if (comment.ValueKind == JsonValueKind.String)
                        {
                            commentHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(comment.GetString()!)));
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
                    AcceptedSuggestions = accepted,
                    OverrideReason = reason,
                    UserCommentSha256 = commentHash,
                });
            }
        }

        return violations.Count == 0 ? items : [];
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
