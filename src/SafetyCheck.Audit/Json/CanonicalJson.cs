using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SafetyCheck.Audit.Json;

/// <summary>
/// Canonical JSON in the style of RFC 8785 (JCS), the form audit hashes are computed over: object members sorted by
/// the UTF-16 code units of their names, no whitespace, strings with minimal escaping (only <c>"</c>, <c>\</c> and
/// control characters, using the short escapes where JSON has them and lowercase <c>\u00xx</c> otherwise), numbers in
/// the shortest form that round-trips a double, written as ECMAScript writes them (<c>1</c>, <c>0.5</c>, <c>1e+21</c>).
/// Integers are exact only up to 2^53; larger ones are refused rather than silently rounded.
/// </summary>
public static class CanonicalJson
{
    /// <summary>Largest integer a double holds exactly (2^53); canonical numbers are limited to it.</summary>
    public const long MaxSafeInteger = 9_007_199_254_740_992;

    /// <summary>The canonical text of <paramref name="node"/> (<c>null</c> for a JSON null).</summary>
    /// <exception cref="ArgumentException">A number is not finite or is an integer beyond ±2^53, or a string holds a lone surrogate.</exception>
    public static string Serialize(JsonNode? node)
    {
        var sb = new StringBuilder(256);
        Write(node, sb);
        return sb.ToString();
    }

    /// <summary>The UTF-8 bytes of <see cref="Serialize"/>: what is hashed.</summary>
    public static byte[] SerializeToUtf8(JsonNode? node) => Encoding.UTF8.GetBytes(Serialize(node));

    /// <summary>Parses <paramref name="json"/> and returns its canonical text.</summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static string Canonicalize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Serialize(JsonNode.Parse(json));
    }

    /// <summary>A number as ECMAScript's <c>Number.prototype.toString</c> writes it (RFC 8785 §3.2.2.3).</summary>
    /// <exception cref="ArgumentException">The value is NaN or infinite.</exception>
    public static string FormatNumber(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException("Canonical JSON has no NaN or infinity.", nameof(value));
        }

        if (value == 0)
        {
            return "0";
        }

        // "R" gives the shortest round-trip digits; split them into a digit string and a decimal exponent.
        var r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var ePos = r.IndexOfAny(['E', 'e']);
        var mantissa = ePos < 0 ? r : r[..ePos];
        var exponent = ePos < 0 ? 0 : int.Parse(r.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot < 0 ? mantissa : mantissa[..dot];
        var fracPart = dot < 0 ? "" : mantissa[(dot + 1)..];
        var digits = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - digits.Length;
        digits = digits.TrimEnd('0');

        // value = 0.d1d2…dk × 10^n in ECMAScript's terms.
        var k = digits.Length;
        var n = intPart.Length + exponent - leadingZeros;
        var sb = new StringBuilder(32);
        if (value < 0)
        {
            sb.Append('-');
        }

        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            sb.Append(digits[0]);
            if (k > 1)
            {
                sb.Append('.').Append(digits, 1, k - 1);
            }

            sb.Append('e').Append(n - 1 >= 0 ? "+" : "-").Append(Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder sb)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                WriteObject(obj, sb);
                break;
            case JsonArray array:
                sb.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    Write(array[i], sb);
                }

                sb.Append(']');
                break;
            case JsonValue value:
                WriteValue(value, sb);
                break;
            default:
                throw new ArgumentException($"Unsupported JSON node {node.GetType().Name}.", nameof(node));
        }
    }

    private static void WriteObject(JsonObject obj, StringBuilder sb)
    {
        var members = obj.Select(m => m.Key).ToArray();
        Array.Sort(members, StringComparer.Ordinal);
        sb.Append('{');
        for (var i = 0; i < members.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            WriteString(members[i], sb);
            sb.Append(':');
            Write(obj[members[i]], sb);
        }

        sb.Append('}');
    }

    private static void WriteValue(JsonValue value, StringBuilder sb)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(value.GetValue<string>(), sb);
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Null:
                sb.Append("null");
                break;
            case JsonValueKind.Number:
                WriteNumber(value, sb);
                break;
            default:
                throw new ArgumentException($"Unsupported JSON value kind {value.GetValueKind()}.", nameof(value));
        }
    }

    private static void WriteNumber(JsonValue value, StringBuilder sb)
    {
        if (value.TryGetValue<long>(out var integer))
        {
            if (integer > MaxSafeInteger || integer < -MaxSafeInteger)
            {
                throw new ArgumentException($"The integer {integer} is beyond ±2^53 and has no exact canonical form.", nameof(value));
            }

            sb.Append(integer.ToString(CultureInfo.InvariantCulture));
            return;
        }

        // Other numbers (parsed text, doubles, decimals): read their JSON text and normalise it as a double.
        var text = value.ToJsonString();
        var number = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        var isIntegerText = text.AsSpan().IndexOfAny('.', 'e', 'E') < 0;
        if (isIntegerText && Math.Abs(number) > MaxSafeInteger)
        {
            throw new ArgumentException($"The integer {text} is beyond ±2^53 and has no exact canonical form.", nameof(value));
        }

        sb.Append(FormatNumber(number));
    }

    private static void WriteString(string s, StringBuilder sb)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    {
                        sb.Append(c).Append(s[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        throw new ArgumentException("A string holds a lone surrogate, which has no canonical UTF-8 form.", nameof(s));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
