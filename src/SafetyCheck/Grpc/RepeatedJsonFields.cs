using System.Text;
using System.Text.Json;

namespace SafetyCheck.Grpc;

/// <summary>
/// Finds a field given twice in one JSON object. The protobuf JSON parser takes the last value of a repeated scalar
/// field and merges repeated messages and lists, so <c>"temperatureCelsius": 39.2, ..., "temperatureCelsius": 36.8</c>
/// in a hand-written request would be read as 36.8 without a word. A field's JSON name and its proto name
/// (<c>requestId</c>, <c>request_id</c>) count as the same field.
/// </summary>
internal static class RepeatedJsonFields
{
    /// <summary>The path of the first field given twice in one object (<c>session.setting</c>), or null when there is none or the text is not JSON.</summary>
    public static string? Find(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { MaxDepth = 256 });
        var objects = new Stack<(string Path, HashSet<string> Names)>();
        var containers = new Stack<string>();
        string? property = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        var path = PathOf(containers, property);
                        containers.Push(path);
                        objects.Push((path, new HashSet<string>(StringComparer.Ordinal)));
                        property = null;
                        break;
                    case JsonTokenType.StartArray:
                        containers.Push(PathOf(containers, property) + "[]");
                        property = null;
                        break;
                    case JsonTokenType.EndObject:
                        objects.Pop();
                        containers.Pop();
                        break;
                    case JsonTokenType.EndArray:
                        containers.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        property = reader.GetString() ?? "";
                        var (objectPath, names) = objects.Peek();
                        if (!names.Add(property.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant()))
                        {
                            return objectPath.Length == 0 ? property : $"{objectPath}.{property}";
                        }

                        break;
                    default:
                        property = null;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the protobuf parser names the problem.
        }

        return null;
    }

    private static string PathOf(Stack<string> containers, string? property)
    {
        var parent = containers.Count == 0 ? "" : containers.Peek();
        return property is null ? parent : parent.Length == 0 ? property : $"{parent}.{property}";
    }
}
