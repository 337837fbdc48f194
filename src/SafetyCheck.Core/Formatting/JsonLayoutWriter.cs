using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace SafetyCheck.Core.Formatting;

/// <summary>
/// Writes a JSON tree in the one canonical layout of the rule files: members in the order their schema documents
/// (<see cref="SchemaLayout"/>; members it does not name follow in their own order), two-space indent, one member
/// per line, arrays of scalars on one line where they fit in <see cref="Width"/> columns and filled line by line
/// where they do not, LF line ends and a final newline. Records (objects of scalars inside an array) are written as
/// <see cref="RecordLayout"/> says: in the catalog on one line each and filled like strings
/// (<c>{ "code": "S42", "seventh": "ABD" }</c>), in the expansions on one line each, one per line. Strings are written with the
/// fewest escapes (<c>"</c>, <c>\</c> and control characters), numbers as parsed (an integer stays an integer, a
/// decimal keeps its point: <c>38.0</c>).
/// </summary>
internal sealed class JsonLayoutWriter(SchemaLayout layout, RecordLayout records)
{
    /// <summary>The widest line the layout fills up to, in characters.</summary>
    public const int Width = 120;

    private readonly StringBuilder _text = new();

    /// <summary>The text of <paramref name="root"/>, ending with a newline.</summary>
    public string Write(JToken root)
    {
        ArgumentNullException.ThrowIfNull(root);
        _text.Clear();
        WriteValue(root, layout.Root, indent: 0, column: 0, suffix: 0);
        _text.Append('\n');
        return _text.ToString();
    }

    private void WriteValue(JToken value, JObject? schema, int indent, int column, int suffix)
    {
        switch (value)
        {
            case JObject obj:
                WriteObject(obj, schema, indent);
                break;
            case JArray array:
                WriteArray(array, schema, indent, column, suffix);
                break;
            default:
                _text.Append(Scalar(value));
                break;
        }
    }

    private void WriteObject(JObject obj, JObject? schema, int indent)
    {
        var members = Ordered(obj, schema);
        if (members.Count == 0)
        {
            _text.Append("{}");
            return;
        }

        _text.Append("{\n");
        for (int i = 0; i < members.Count; i++)
        {
            var member = members[i];
            var key = JsonConvert.ToString(member.Name) + ": ";
            _text.Append(' ', indent + 2).Append(key);
            var comma = i + 1 < members.Count ? 1 : 0;
            WriteValue(member.Value, layout.Member(schema, member.Name), indent + 2, indent + 2 + key.Length, comma);
            _text.Append(comma == 1 ? ",\n" : "\n");
        }

        _text.Append(' ', indent).Append('}');
    }

    private void WriteArray(JArray array, JObject? schema, int indent, int column, int suffix)
    {
        if (array.Count == 0)
        {
            _text.Append("[]");
            return;
        }

        var itemSchema = layout.Items(schema);
        var inline = array.Select(item => Inline(item, itemSchema)).ToList();
        if (inline.Any(i => i is null))
        {
            WriteLines(array, itemSchema, indent);
            return;
        }

        var texts = inline.Select(i => i!).ToList();
        var oneLine = "[" + string.Join(", ", texts) + "]";
        if (array.All(i => i is JValue) && column + oneLine.Length + suffix <= Width)
        {
            _text.Append(oneLine);
        }
        else if (records == RecordLayout.OnePerLine && array.All(i => i is JObject))
        {
            _text.Append("[\n");
            for (int i = 0; i < texts.Count; i++)
            {
                _text.Append(' ', indent + 2).Append(texts[i]).Append(i + 1 < texts.Count ? ",\n" : "\n");
            }

            _text.Append(' ', indent).Append(']');
        }
        else
        {
            Fill(texts, indent);
        }
    }

    /// <summary>Items at <paramref name="indent"/> + 2, as many to a line as fit in <see cref="Width"/> with the line's comma.</summary>
    private void Fill(List<string> texts, int indent)
    {
        _text.Append("[\n");
        int i = 0;
        while (i < texts.Count)
        {
            var line = new StringBuilder().Append(' ', indent + 2).Append(texts[i]);
            i++;
            while (i < texts.Count && line.Length + 2 + texts[i].Length + 1 <= Width)
            {
                line.Append(", ").Append(texts[i]);
                i++;
            }

            _text.Append(line).Append(i < texts.Count ? ",\n" : "\n");
        }

        _text.Append(' ', indent).Append(']');
    }

    private void WriteLines(JArray array, JObject? itemSchema, int indent)
    {
        _text.Append("[\n");
        for (int i = 0; i < array.Count; i++)
        {
            _text.Append(' ', indent + 2);
            var comma = i + 1 < array.Count ? 1 : 0;
            WriteValue(array[i], itemSchema, indent + 2, indent + 2, comma);
            _text.Append(comma == 1 ? ",\n" : "\n");
        }

        _text.Append(' ', indent).Append(']');
    }

    /// <summary>A scalar's text, or a record's one-line text; null for what is written over several lines.</summary>
    private string? Inline(JToken item, JObject? schema)
    {
        if (item is JValue)
        {
            return Scalar(item);
        }

        if (records == RecordLayout.Expanded || item is not JObject record || record.Count == 0 || record.Properties().Any(p => p.Value is not JValue))
        {
            return null;
        }

        return "{ " + string.Join(", ", Ordered(record, schema).Select(p => JsonConvert.ToString(p.Name) + ": " + Scalar(p.Value))) + " }";
    }

    /// <summary>The members in the schema's order, then the ones it does not name in their own order.</summary>
    private List<JProperty> Ordered(JObject obj, JObject? schema)
    {
        var order = layout.MemberOrder(schema).ToList();
        return [.. obj.Properties()
            .Select((p, i) => (Property: p, Rank: order.IndexOf(p.Name) is var known and >= 0 ? known : order.Count + i))
            .OrderBy(x => x.Rank)
            .Select(x => x.Property)];
    }

    private static string Scalar(JToken value) => value.Type switch
    {
        JTokenType.String => JsonConvert.ToString((string?)value),
        JTokenType.Integer => Convert.ToString(((JValue)value).Value, CultureInfo.InvariantCulture)!,
        JTokenType.Float => JsonConvert.ToString((double)value),
        JTokenType.Boolean => (bool)value ? "true" : "false",
        JTokenType.Null => "null",
        _ => throw new InvalidOperationException($"a {value.Type} has no place in a rule file"),
    };
}
