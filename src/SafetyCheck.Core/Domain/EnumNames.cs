using System.Collections.Frozen;
using System.Text;

namespace SafetyCheck.Core.Domain;

/// <summary>
/// The contract's enum value names (<c>NICU</c>, <c>WHOLE_BODY</c>, <c>NOT_SUITABLE</c>) for Core's enums, in both
/// directions. Rule files and the rule vocabulary use these names, exactly as protobuf JSON does.
/// </summary>
public static class EnumNames
{
    /// <summary>The contract name of <paramref name="value"/>: <c>WholeBody</c> → <c>WHOLE_BODY</c>; 0 → <c>UNSPECIFIED</c>.</summary>
    public static string Of<T>(T value)
        where T : struct, Enum => Cache<T>.Names[value];

    /// <summary>Parses a contract name (case-sensitive); false for unknown names and for <c>UNSPECIFIED</c>.</summary>
    public static bool TryParse<T>(string? name, out T value)
        where T : struct, Enum
    {
        if (name is not null && name != "UNSPECIFIED" && Cache<T>.Values.TryGetValue(name, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Every contract name of <typeparamref name="T"/> except UNSPECIFIED.</summary>
    public static IReadOnlyCollection<string> All<T>()
        where T : struct, Enum => Cache<T>.Values.Keys.Where(k => k != "UNSPECIFIED").ToArray();

    private static string ToContractName(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            // A new word starts at an upper-case letter that follows a lower-case one ("WholeBody" → WHOLE_BODY).
            if (i > 0 && char.IsUpper(pascal[i]) && char.IsLower(pascal[i - 1]))
            {
                sb.Append('_');
            }

            sb.Append(char.ToUpperInvariant(pascal[i]));
        }

        return sb.ToString();
    }

    private static class Cache<T>
        where T : struct, Enum
    {
        public static readonly FrozenDictionary<T, string> Names =
            Enum.GetValues<T>().ToFrozenDictionary(v => v, v => ToContractName(v.ToString()));

        public static readonly FrozenDictionary<string, T> Values =
            Names.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);
    }
}
