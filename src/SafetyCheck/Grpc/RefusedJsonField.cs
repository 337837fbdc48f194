using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace SafetyCheck.Grpc;

/// <summary>
/// Finds which field of a protobuf JSON message the parser refused. The protobuf parser says what it could not read
/// (<c>Invalid enum value: BOGUS for enum type: safetycheck.v1.ConditionStatus</c>) but not where, which in a request
/// with several conditions leaves the author guessing. Each member is parsed again on its own, in a message of its
/// type, and the search goes down into the first one refused: messages member by member, lists element by element.
/// </summary>
internal static class RefusedJsonField
{
    /// <summary>
    /// The path of the innermost field that <paramref name="parser"/> refuses in <paramref name="json"/>, a message of
    /// type <paramref name="descriptor"/>, named by proto field names and list indexes (<c>conditions[1].status</c>);
    /// null when the text is not JSON, is not an object, or every member parses on its own.
    /// </summary>
    public static string? Find(string json, MessageDescriptor descriptor, JsonParser parser)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(parser);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
            return document.RootElement.ValueKind == JsonValueKind.Object ? Find(document.RootElement, descriptor, parser, "") : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON, or a member name that is not text (an unpaired surrogate escape): no path to give.
            return null;
        }
    }

    private static string? Find(JsonElement message, MessageDescriptor descriptor, JsonParser parser, string path)
    {
        foreach (var member in message.EnumerateObject())
        {
            var field = descriptor.FindFieldByName(member.Name) ?? descriptor.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == member.Name);
            var name = field?.Name ?? member.Name;
            var memberPath = path.Length == 0 ? name : $"{path}.{name}";
            if (Parses(descriptor, parser, member.Name, member.Value.GetRawText()))
            {
                continue;
            }

            if (field is null)
            {
                return memberPath;
            }

            if (field.IsRepeated && !field.IsMap && member.Value.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var element in member.Value.EnumerateArray())
                {
                    var elementPath = $"{memberPath}[{index++}]";
                    if (!Parses(descriptor, parser, member.Name, $"[{element.GetRawText()}]"))
                    {
                        return Inner(element, field, parser, elementPath) ?? elementPath;
                    }
                }

                return memberPath;
            }

            return (field.IsRepeated ? null : Inner(member.Value, field, parser, memberPath)) ?? memberPath;
        }

        return null;
    }

    /// <summary>The refused field inside <paramref name="value"/> when it is a message written as an object.</summary>
    private static string? Inner(JsonElement value, FieldDescriptor field, JsonParser parser, string path) =>
        field.FieldType == FieldType.Message && value.ValueKind == JsonValueKind.Object && !IsWellKnown(field.MessageType)
            ? Find(value, field.MessageType, parser, path)
            : null;

    // Well-known types (Timestamp, wrappers...) have JSON forms of their own: the field itself is what was refused.
    private static bool IsWellKnown(MessageDescriptor type) => type.File.Package == "google.protobuf";

    private static bool Parses(MessageDescriptor descriptor, JsonParser parser, string member, string rawValue)
    {
        try
        {
            parser.Parse($"{{{JsonSerializer.Serialize(member)}:{rawValue}}}", descriptor);
            return true;
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            return false;
        }
    }
}
