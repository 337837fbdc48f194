using System.Text.Json;
using System.Text.Json.Nodes;

namespace SafetyCheck.IntegrationTests.Hostile;

/// <summary>
/// Damages a protobuf-JSON request the way a hand-written or hostile one would be: values of the wrong type, huge
/// numbers, NaN and Infinity, awkward Unicode, missing, repeated, unknown and null fields, bad enum names and
/// timestamps, deep nesting, and plain text damage (truncation, deleted characters).
/// </summary>
internal static class JsonMutator
{
    private const string Placeholder = "\u0001raw\u0001";

    /// <summary>The names of the mutations, in the order <see cref="Mutate"/> picks them by index.</summary>
    public static readonly string[] Kinds =
    [
        "wrong-type", "huge-number", "not-a-number", "unicode", "missing-field", "repeated-field", "unknown-field",
        "enum", "timestamp", "null", "deep-nesting", "truncated", "deleted-chars",
    ];

    private static readonly string[] WrongTypes = ["42", "-1", "3.5", "true", "\"text\"", "[]", "{}", "[1,\"a\",null]", "{\"x\":1}", "\"\"", "0"];

    private static readonly string[] HugeNumbers =
    [
        "1e309", "-1e309", "123456789012345678901234567890", "2147483648", "-2147483649", "4294967296", "9223372036854775808",
        "-9223372036854775809", "18446744073709551616", "1e-400", "0.0000001", "1.5", "-0", "1E2", "\"2147483648\"", "\"1e3\"", "\"0x10\"",
    ];

    private static readonly string[] NotNumbers = ["\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "NaN", "Infinity", "-Infinity", "\"nan\"", "\"+Infinity\""];

    private static readonly string[] AwkwardStrings =
    [
        "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0000\"", "\"\\u202eL20.9\"", "\"\\ud83d\\ude00\"", "\"e\\u0301\\u0301\\u0301\"", "\"\\uFEFF\"",
        "\"L20.9\\n\\r\\t\"", "\"\\\\\"", "\"" + new string('x', 100_000) + "\"", "\"\\uFFFF\\uFFFE\"",
    ];

    private static readonly string[] UnknownNames = ["request_id", "RequestId", "requestID", "__proto__", "", "birthdate", "patient.birthDate", "$type", new string('n', 300)];

    private static readonly string[] EnumValues = ["\"home\"", "\"HOME \"", "\"UNKNOWN\"", "99", "-1", "\"2\"", "2.5", "\"SETTING_UNSPECIFIED\"", "\"LIGHT\"", "\"NICU\"", "\"ACTIVE\"", "\"\"", "2147483648"];

    private static readonly string[] Timestamps =
    [
        "\"2026-13-01T00:00:00Z\"", "\"0000-01-01T00:00:00Z\"", "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:60Z\"", "\"10000-01-01T00:00:00Z\"",
        "\"2026-01-01T00:00:00+99:00\"", "\"2026-01-01T00:00:00.1234567891Z\"", "\"2026-01-01\"", "\"\"", "\"now\"", "\"2026-02-30T10:00:00Z\"",
        "\"2026-01-01T00:00:00-23:59\"", "\"1969-12-31T23:59:59.999999999Z\"", "1767225600",
    ];

    private static readonly string[] EnumFields = ["setting", "pressure", "status", "bodySite", "areas"];

    private static readonly string[] TimestampFields = ["scheduledAt", "asOf"];

    /// <summary>One mutation of the JSON object <paramref name="json"/>, chosen at random; returns its kind and the damaged text.</summary>
    public static (string Kind, string Json) Mutate(Random random, string json)
    {
        var index = random.Next(Kinds.Length);
        var root = JsonNode.Parse(json)!.AsObject();
        var slots = Slots(root);
        var (parent, key) = slots[random.Next(slots.Count)];
        string mutated = index switch
        {
            0 => Replace(root, parent, key, Pick(random, WrongTypes)),
            1 => Replace(root, parent, key, Pick(random, HugeNumbers)),
            2 => Replace(root, parent, key, Pick(random, NotNumbers)),
            3 => Replace(root, parent, key, Pick(random, AwkwardStrings)),
            4 => Remove(root, parent, key),
            5 => RepeatFirstProperty(random, root),
            6 => AddProperty(root, parent as JsonObject ?? root, Pick(random, UnknownNames), Pick(random, WrongTypes)),
            7 => ReplaceNamed(random, root, slots, EnumFields, EnumValues),
            8 => ReplaceNamed(random, root, slots, TimestampFields, Timestamps),
            9 => Replace(root, parent, key, "null"),
            10 => Replace(root, parent, key, Deep(random)),
            11 => json[..random.Next(json.Length)],
            _ => DeleteCharacters(random, json),
        };
        return (Kinds[index], mutated);
    }

    /// <summary>Every place a value sits: (object, property name) or (array, index).</summary>
    private static List<(JsonNode Parent, object Key)> Slots(JsonObject root)
    {
        var slots = new List<(JsonNode, object)>();
        void Walk(JsonNode node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (name, value) in o.ToArray())
                    {
                        slots.Add((o, name));
                        if (value is not null)
                        {
                            Walk(value);
                        }
                    }

                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        slots.Add((a, i));
                        if (a[i] is { } item)
                        {
                            Walk(item);
                        }
                    }

                    break;
            }
        }

        Walk(root);
        if (slots.Count == 0)
        {
            slots.Add((root, "requestId"));
        }

        return slots;
    }

    /// <summary>The text of <paramref name="root"/> with the value at (<paramref name="parent"/>, <paramref name="key"/>) replaced by raw JSON text.</summary>
    private static string Replace(JsonObject root, JsonNode parent, object key, string raw)
    {
        switch (parent, key)
        {
            case (JsonObject o, string name):
                o[name] = Placeholder;
                break;
            case (JsonArray a, int i):
                a[i] = Placeholder;
                break;
        }

        return root.ToJsonString().Replace(JsonSerializer.Serialize(Placeholder), raw, StringComparison.Ordinal);
    }

    private static string Remove(JsonObject root, JsonNode parent, object key)
    {
        switch (parent, key)
        {
            case (JsonObject o, string name):
                o.Remove(name);
                break;
            case (JsonArray a, int i):
                a.RemoveAt(i);
                break;
        }

        return root.ToJsonString();
    }

    private static string AddProperty(JsonObject root, JsonObject target, string name, string raw)
    {
        target[name] = Placeholder;
        return root.ToJsonString().Replace(JsonSerializer.Serialize(Placeholder), raw, StringComparison.Ordinal);
    }

    /// <summary>An object's first property written twice, once with another value: JSON allows it, protobuf JSON refuses it.</summary>
    private static string RepeatFirstProperty(Random random, JsonObject root)
    {
        var objects = Slots(root).Select(s => s.Parent).OfType<JsonObject>().Where(o => o.Count > 0).Distinct().ToArray();
        var target = objects.Length == 0 ? root : objects[random.Next(objects.Length)];
        var (name, value) = target.First();
        var copy = random.Next(2) == 0 ? value?.ToJsonString() ?? "null" : Pick(random, WrongTypes);
        var original = target.ToJsonString();
        var repeated = "{" + JsonSerializer.Serialize(name) + ":" + copy + (original.Length > 2 ? "," : "") + original[1..];
        return target == root ? repeated : ReplaceObject(root, target, repeated);
    }

    private static string ReplaceObject(JsonObject root, JsonObject target, string raw)
    {
        switch (target.Parent)
        {
            case JsonObject o:
                return Replace(root, o, target.GetPropertyName(), raw);
            case JsonArray a:
                return Replace(root, a, target.GetElementIndex(), raw);
            default:
                return raw;
        }
    }

    private static string ReplaceNamed(Random random, JsonObject root, List<(JsonNode Parent, object Key)> slots, string[] names, string[] values)
    {
        var named = slots.Where(s => s.Key is string name && names.Contains(name, StringComparer.Ordinal)).ToArray();
        if (named.Length == 0)
        {
            return AddProperty(root, root, Pick(random, names), Pick(random, values));
        }

        var (parent, key) = named[random.Next(named.Length)];
        return Replace(root, parent, key, Pick(random, values));
    }

    private static string Deep(Random random)
    {
        var depth = random.Next(64, 5000);
        return random.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"patient\":", depth)) + "{}" + new string('}', depth);
    }

    private static string DeleteCharacters(Random random, string json)
    {
        var chars = json.ToList();
        for (var n = random.Next(1, 6); n > 0 && chars.Count > 0; n--)
        {
            chars.RemoveAt(random.Next(chars.Count));
        }

        return new string([.. chars]);
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];
}
