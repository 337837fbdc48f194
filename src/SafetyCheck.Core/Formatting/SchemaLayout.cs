using System.Collections.Frozen;
using Newtonsoft.Json.Linq;

namespace SafetyCheck.Core.Formatting;

/// <summary>
/// The member order the JSON Schemas of the rule files document (<c>rules/schemas/*.schema.json</c>, built into this
/// assembly): for any object of a file, the names its schema lists under <c>properties</c>, in that order. Walks
/// <c>properties</c>, <c>additionalProperties</c>, <c>items</c>, local <c>$ref</c>s and the branches of
/// <c>anyOf</c>/<c>oneOf</c>; an object the schema says nothing about keeps its own order.
/// </summary>
internal sealed class SchemaLayout
{
    private static readonly FrozenDictionary<string, JObject> Schemas = LoadSchemas();

    private readonly JObject _root;

    private SchemaLayout(JObject root)
    {
        _root = root;
    }

    /// <summary>The layout of files described by <paramref name="schemaFile"/> (e.g. <c>rule.schema.json</c>).</summary>
    /// <exception cref="ArgumentException">No such schema is built in.</exception>
    public static SchemaLayout For(string schemaFile) =>
        Schemas.TryGetValue(schemaFile, out var root) ? new SchemaLayout(root) : throw new ArgumentException($"no built-in schema {schemaFile}", nameof(schemaFile));

    /// <summary>The schema of the whole file.</summary>
    public JObject? Root => _root;

    /// <summary>The names <paramref name="schema"/> lists for an object, in order; empty when it lists none.</summary>
    public IReadOnlyList<string> MemberOrder(JObject? schema) =>
        ObjectSchema(schema)?["properties"] is JObject properties ? [.. properties.Properties().Select(p => p.Name)] : [];

    /// <summary>The schema of member <paramref name="name"/> of an object described by <paramref name="schema"/>.</summary>
    public JObject? Member(JObject? schema, string name)
    {
        var objectSchema = ObjectSchema(schema);
        return objectSchema?["properties"]?[name] is JObject member ? Resolve(member)
            : objectSchema?["additionalProperties"] is JObject additional ? Resolve(additional)
            : null;
    }

    /// <summary>The schema of the items of an array described by <paramref name="schema"/>.</summary>
    public JObject? Items(JObject? schema)
    {
        var resolved = Resolve(schema);
        if (resolved?["items"] is JObject items)
        {
            return Resolve(items);
        }

        return Branches(resolved).Select(b => b["items"]).OfType<JObject>().Select(Resolve).FirstOrDefault();
    }

    /// <summary>The schema itself, or the first of its <c>anyOf</c>/<c>oneOf</c> branches that describes an object.</summary>
    private JObject? ObjectSchema(JObject? schema)
    {
        var resolved = Resolve(schema);
        if (resolved is null || resolved["properties"] is JObject || resolved["additionalProperties"] is JObject)
        {
            return resolved;
        }

        return Branches(resolved).FirstOrDefault(b => b["properties"] is JObject || b["additionalProperties"] is JObject) ?? resolved;
    }

    private IEnumerable<JObject> Branches(JObject? schema) =>
        new[] { schema?["anyOf"], schema?["oneOf"] }.OfType<JArray>().SelectMany(a => a.OfType<JObject>()).Select(Resolve).OfType<JObject>();

    /// <summary>Follows local <c>$ref</c>s (<c>#/$defs/name</c>).</summary>
    private JObject? Resolve(JObject? schema)
    {
        for (int hops = 0; schema?["$ref"] is JValue { Type: JTokenType.String } reference && hops < 16; hops++)
        {
            var pointer = ((string)reference!).TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries);
            JToken? target = _root;
            foreach (var segment in pointer)
            {
                target = target?[segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
            }

            schema = target as JObject;
        }

        return schema;
    }

    private static FrozenDictionary<string, JObject> LoadSchemas()
    {
        const string prefix = "SafetyCheck.Core.Schemas.";
        var assembly = typeof(SchemaLayout).Assembly;
        var schemas = new Dictionary<string, JObject>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            schemas[name[prefix.Length..]] = JObject.Parse(reader.ReadToEnd());
        }

        return schemas.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
