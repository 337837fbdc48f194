using System.Text.Json.Nodes;
using SafetyCheck.Core.Domain;

namespace SafetyCheck.Audit.Records;

/// <summary>Strict reading of record members: a missing, null or mistyped member is <see cref="InvalidDataException"/>.</summary>
internal static class JsonMembers
{
    public static JsonNode? Member(JsonObject obj, string name) =>
        obj.TryGetPropertyValue(name, out var node) ? node : throw new InvalidDataException($"member '{name}' is missing");

    public static JsonObject Obj(JsonObject obj, string name) =>
        Member(obj, name) as JsonObject ?? throw new InvalidDataException($"member '{name}' is not an object");

    public static string Str(JsonObject obj, string name) =>
        Member(obj, name)?.GetValue<string>() ?? throw new InvalidDataException($"member '{name}' is null");

    public static long Long(JsonObject obj, string name) =>
        Member(obj, name)?.GetValue<long>() ?? throw new InvalidDataException($"member '{name}' is null");

    public static int Int(JsonObject obj, string name) =>
        Member(obj, name)?.GetValue<int>() ?? throw new InvalidDataException($"member '{name}' is null");

    public static int? OptionalInt(JsonObject obj, string name) => Member(obj, name)?.GetValue<int>();

    public static bool Bool(JsonObject obj, string name) =>
        Member(obj, name)?.GetValue<bool>() ?? throw new InvalidDataException($"member '{name}' is null");

    public static T Enum<T>(JsonObject obj, string name)
        where T : struct, System.Enum => ParseEnum<T>(Str(obj, name));

    public static T ParseEnum<T>(string name)
        where T : struct, System.Enum =>
        name == "UNSPECIFIED" ? default : EnumNames.TryParse<T>(name, out var value) ? value : throw new InvalidDataException($"'{name}' is not a {typeof(T).Name}");

    public static string[] Strings(JsonObject obj, string name) =>
        [.. ArrayMember(obj, name).Select(n => n?.GetValue<string>() ?? throw new InvalidDataException($"an item of '{name}' is null"))];

    public static T[] Items<T>(JsonObject obj, string name, Func<JsonObject, T> read) =>
        [.. ArrayMember(obj, name).Select(n => n is JsonObject item ? read(item) : throw new InvalidDataException($"an item of '{name}' is not an object"))];

    public static JsonArray ArrayMember(JsonObject obj, string name) =>
        Member(obj, name) as JsonArray ?? throw new InvalidDataException($"member '{name}' is not an array");

    /// <summary>True when <paramref name="obj"/> has the member (v2 records leave out members at their default).</summary>
    public static bool Has(JsonObject obj, string name) => obj.ContainsKey(name);
}
