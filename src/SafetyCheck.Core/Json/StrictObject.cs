using Newtonsoft.Json.Linq;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Json;

/// <summary>
/// Reads one JSON object strictly for a clinician: unknown properties, missing required ones and wrong types all
/// become diagnostics at the offending token, and reading goes on so that every problem is reported at once.
/// </summary>
public sealed class StrictObject
{
    private readonly JsonSourceFile _file;
    private readonly ICollection<Diagnostic> _diagnostics;

    /// <summary>Wraps <paramref name="obj"/>, described as <paramref name="what"/> in messages ("rule 'fever'").</summary>
    public StrictObject(JsonSourceFile file, JObject obj, string what, ICollection<Diagnostic> diagnostics)
    {
        _file = file;
        Json = obj;
        What = what;
        _diagnostics = diagnostics;
    }

    /// <summary>The object read.</summary>
    public JObject Json { get; }

    /// <summary>How messages name the object.</summary>
    public string What { get; }

    /// <summary>The file the object is in.</summary>
    public JsonSourceFile Source => _file;

    /// <summary>Where diagnostics go.</summary>
    public ICollection<Diagnostic> Diagnostics => _diagnostics;

    /// <summary>A reader for a nested object in the same file.</summary>
    public StrictObject Nested(JObject obj, string what) => new(_file, obj, what, _diagnostics);

    /// <summary>Reports every property whose name is not in <paramref name="allowed"/> (case-sensitive).</summary>
    public void AllowOnly(params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        foreach (var property in Json.Properties())
        {
            if (Array.IndexOf(allowed, property.Name) >= 0)
            {
                continue;
            }

            var near = allowed.FirstOrDefault(a => string.Equals(a, property.Name, StringComparison.OrdinalIgnoreCase))
                ?? allowed.OrderBy(a => EditDistance(a, property.Name)).First();
            var hint = EditDistance(near, property.Name) <= 3 ? $"; did you mean '{near}'?" : "";
            Report(property, $"unknown property '{property.Name}' in {What}{hint} (allowed: {string.Join(", ", allowed)})");
        }
    }

    /// <summary>
    /// For the top-level object of a file: as <see cref="AllowOnly"/>, and also allows <c>$schema</c> (see
    /// <see cref="SchemaReference"/>), which must then be a non-empty string. Nothing else is read from it.
    /// </summary>
    public void AllowOnlyAtTop(params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        AllowOnly([SchemaReference.MemberName, .. allowed]);
        if (Json[SchemaReference.MemberName] is { } token)
        {
            StringValue(SchemaReference.MemberName, token, required: true);
        }
    }

    /// <summary>Reports a diagnostic at <paramref name="token"/>.</summary>
    public void Report(JToken token, string message) => _diagnostics.Add(_file.At(token, message));

    /// <summary>A required non-empty string; null (and a diagnostic) when missing or not a string.</summary>
    public string? RequiredString(string name)
    {
        var token = Json[name];
        if (token is null)
        {
            Report(Json, $"{What} is missing required property '{name}'");
            return null;
        }

        return StringValue(name, token, required: true);
    }

    /// <summary>An optional string; null when absent.</summary>
    public string? OptionalString(string name) => Json[name] is { } token ? StringValue(name, token, required: false) : null;

    /// <summary>An optional boolean; null when absent.</summary>
    public bool? OptionalBool(string name)
    {
        if (Json[name] is not { } token)
        {
            return null;
        }

        if (token.Type != JTokenType.Boolean)
        {
            Report(token, $"'{name}' in {What} must be true or false");
            return null;
        }

        return token.Value<bool>();
    }

    /// <summary>An optional number; null when absent.</summary>
    public JValue? OptionalNumber(string name)
    {
        if (Json[name] is not { } token)
        {
            return null;
        }

        if (token.Type is not (JTokenType.Integer or JTokenType.Float))
        {
            Report(token, $"'{name}' in {What} must be a number");
            return null;
        }

        return (JValue)token;
    }

    /// <summary>An optional array; null when absent or not an array.</summary>
    public JArray? OptionalArray(string name)
    {
        if (Json[name] is not { } token)
        {
            return null;
        }

        if (token is not JArray array)
        {
            Report(token, $"'{name}' in {What} must be an array");
            return null;
        }

        return array;
    }

    /// <summary>An optional array of strings; empty when absent.</summary>
    public IReadOnlyList<(string Value, JToken Token)> OptionalStrings(string name)
    {
        var array = OptionalArray(name);
        if (array is null)
        {
            return [];
        }

        var values = new List<(string, JToken)>();
        foreach (var item in array)
        {
            if (item.Type != JTokenType.String || string.IsNullOrWhiteSpace(item.Value<string>()))
            {
                Report(item, $"items of '{name}' in {What} must be non-empty strings");
                continue;
            }

            values.Add((item.Value<string>()!, item));
        }

        return values;
    }

    /// <summary>An optional object; null when absent or not an object.</summary>
    public JObject? OptionalObject(string name)
    {
        if (Json[name] is not { } token)
        {
            return null;
        }

        if (token is not JObject obj)
        {
            Report(token, $"'{name}' in {What} must be an object");
            return null;
        }

        return obj;
    }

    /// <summary>A required object; null (and a diagnostic) when missing.</summary>
    public JObject? RequiredObject(string name)
    {
        if (Json[name] is null)
        {
            Report(Json, $"{What} is missing required property '{name}'");
            return null;
        }

        return OptionalObject(name);
    }

    private string? StringValue(string name, JToken token, bool required)
    {
        if (token.Type != JTokenType.String)
        {
            Report(token, $"'{name}' in {What} must be a string");
            return null;
        }

        var value = token.Value<string>()!;
        if (required && string.IsNullOrWhiteSpace(value))
        {
            Report(token, $"'{name}' in {What} must not be empty");
            return null;
        }

        return value;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
