using System.Text.Json;
using Google.Protobuf;
using SafetyCheck.Core.Json;
using SafetyCheck.Core.RuleSuite;
using SafetyCheck.Core.Validation;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.Grpc;

/// <summary>
/// Protobuf JSON (the canonical mapping: lowerCamelCase names, enum value names, RFC 3339 timestamps) for the CLI
/// and the rule cases, so that <c>eval</c>, rule cases and external callers read and write the same shapes.
/// </summary>
internal static class ProtoJson
{
    // Strict: a misspelt field in a hand-written request is an error, not a silently ignored value.
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    // Default values are written so that every response names every contract field (suitability, plan_conflict...).
    private static readonly JsonFormatter Formatter = new(
        JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());

    /// <summary>Parses a CheckRequest.</summary>
    /// <exception cref="FormatException">
    /// Not JSON, not a CheckRequest, or a field given twice in one object (which the protobuf parser would take the
    /// last of, or merge); the message names what is wrong, after the path of the field refused
    /// (<c>conditions[1].status: Invalid enum value...</c>).
    /// </exception>
    public static CheckRequest ParseRequest(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (NotText(json) is { } notText)
        {
            throw new RequestJsonException($"{notText.Field}: {notText.Description}", notText.Field, null);
        }

        if (RepeatedJsonFields.Find(json) is { } repeated)
        {
            throw new RequestJsonException($"the field '{repeated}' is given more than once; give each field once", repeated, null);
        }

        try
        {
            return Parser.Parse<CheckRequest>(json);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException)
        {
            var field = RefusedJsonField.Find(json, CheckRequest.Descriptor, Parser);
            var message = field is not null && !ex.Message.EndsWith(": " + field, StringComparison.Ordinal) ? $"{field}: {ex.Message}" : ex.Message;
            throw new RequestJsonException(message, field, ex);
        }
    }

    /// <summary>The first string or member name of <paramref name="json"/> that is not Unicode text; null when none is (or it is not JSON).</summary>
    private static FieldViolation? NotText(string json)
    {
        var found = new List<FieldViolation>();
        try
        {
            using var document = UnpairedSurrogates.Parse(o => JsonDocument.Parse(json, o), new JsonDocumentOptions { MaxDepth = 256, AllowDuplicateProperties = true }, found);
        }
        catch (JsonException)
        {
            // Not JSON: the protobuf parser says where.
        }

        return found.FirstOrDefault();
    }

    /// <summary>Formats a message as indented protobuf JSON with default values included.</summary>
    public static string Format(IMessage message) => Formatter.Format(message);
}
