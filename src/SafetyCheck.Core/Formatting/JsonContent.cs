using Newtonsoft.Json.Linq;

namespace SafetyCheck.Core.Formatting;

/// <summary>
/// Whether two JSON trees say the same thing: objects with the same members (in any order) of the same content,
/// arrays with the same items in the same order, scalars of the same type and value (an integer is not a decimal:
/// <c>2</c> and <c>2.0</c> differ, as parameters read them). What fmt checks before it writes anything.
/// </summary>
internal static class JsonContent
{
    public static bool Same(JToken? a, JToken? b) => (a, b) switch
    {
        (null, null) => true,
        (JObject x, JObject y) => x.Count == y.Count && x.Properties().All(p => y.Property(p.Name, StringComparison.Ordinal) is { } other && Same(p.Value, other.Value)),
        (JArray x, JArray y) => x.Count == y.Count && x.Zip(y).All(pair => Same(pair.First, pair.Second)),
        (JValue x, JValue y) => x.Type == y.Type && Equals(x.Value, y.Value),
        _ => false,
    };
}
