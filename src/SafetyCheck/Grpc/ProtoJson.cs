using Google.Protobuf;
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
    /// last of, or merge); the message names what is wrong.
    /// </exception>
    public static CheckRequest ParseRequest(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (RepeatedJsonFields.Find(json) is { } repeated)
        {
            throw new FormatException($"the field '{repeated}' is given more than once; give each field once");
        }

        try
        {
            return Parser.Parse<CheckRequest>(json);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
        catch (InvalidJsonException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
    }

    /// <summary>Formats a message as indented protobuf JSON with default values included.</summary>
    public static string Format(IMessage message) => Formatter.Format(message);
}
