using System.Globalization;
using System.Numerics;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Json;

/// <summary>
/// Reads a JSON document into a <see cref="JToken"/> tree and knows where each token starts, so that diagnostics
/// point at the first character of a property name or value (Newtonsoft's line info points at its last one).
/// </summary>
/// <remarks>
/// A first pass with <see cref="JsonTextReader"/> finds syntax errors (reported with their position, after which
/// nothing else is checked), a truncated document, duplicate property names, and what Newtonsoft tolerates but
/// JSON does not (trailing commas, empty elements, single-quoted strings, unquoted property names, numbers with
/// leading zeros) and what it reads as something the file does not say (<c>NaN</c>, <c>Infinity</c> and a number
/// beyond the range of a double, read as an infinity; a <c>\u</c> escape of half a surrogate pair, read as U+FFFD:
/// these, like syntax errors, stop the document from loading); it also records where every token starts. The second
/// pass loads the tree with <see cref="LineInfoHandling.Load"/> (the first of duplicate properties is kept) and
/// <see cref="DateParseHandling.None"/>. Comments are allowed.
/// </remarks>
internal sealed class JsonSourceMap
{
    private readonly string text;
    private readonly string file;
    private readonly ICollection<Diagnostic> diagnostics;
    private readonly List<int> lineStarts;
    private readonly Dictionary<(int Line, int Position), int> tokenStarts = [];
    private bool unloadable;

    private JsonSourceMap(string text, string file, ICollection<Diagnostic> diagnostics)
    {
        this.text = text;
        this.file = file;
        this.diagnostics = diagnostics;
        lineStarts = FindLineStarts(text);
    }

    /// <summary>The document's root value; null when the document is not well-formed JSON (then a diagnostic says why).</summary>
    public JToken? Root { get; private set; }

    /// <summary>Scans and loads <paramref name="text"/>, adding every problem found to <paramref name="diagnostics"/>.</summary>
    public static JsonSourceMap Read(string text, string file, ICollection<Diagnostic> diagnostics)
    {
        var map = new JsonSourceMap(text, file, diagnostics);
        if (map.Scan())
        {
            map.Root = map.Load();
        }

        return map;
    }

    /// <summary>Where <paramref name="token"/> starts: the opening quote of a property name or string, the first character of any other value.</summary>
    public SourcePosition StartOf(JToken token)
    {
        var info = (IJsonLineInfo)token;
        if (!info.HasLineInfo())
        {
            return new SourcePosition(1, 1);
        }

        return tokenStarts.TryGetValue((info.LineNumber, info.LinePosition), out int start)
            ? PositionOf(start)
            : new SourcePosition(info.LineNumber, Math.Max(1, info.LinePosition));
    }

    /// <summary>
    /// Where the character at <paramref name="index"/> of a string value's decoded text is written in the source: the
    /// string's escapes (<c>\"</c>, <c>\\</c>, <c>\n</c>, <c>\u00B0</c>) are walked, so that the position is the
    /// first source character of that decoded character. An index at or past the end points at the closing quote.
    /// Falls back to the start of the token when it is not a double-quoted string in the source.
    /// </summary>
    public SourcePosition PositionInString(JToken token, int index)
    {
        ArgumentNullException.ThrowIfNull(token);
        var info = (IJsonLineInfo)token;
        if (!info.HasLineInfo() || !tokenStarts.TryGetValue((info.LineNumber, info.LinePosition), out int start)
            || start >= text.Length || text[start] != '"')
        {
            return StartOf(token);
        }

        int offset = start + 1;
        for (int decoded = 0; decoded < index && offset < text.Length && text[offset] != '"'; decoded++)
        {
            offset += text[offset] != '\\' ? 1
                : offset + 1 < text.Length && text[offset + 1] == 'u' ? 6
                : 2;
        }

        return PositionOf(Math.Min(offset, text.Length));
    }

    /// <summary>Adds a diagnostic at <paramref name="position"/>.</summary>
    public void Report(SourcePosition position, string message) =>
        diagnostics.Add(new Diagnostic(file, position.Line, position.Column, message));

    private JsonTextReader CreateReader() => new(new StringReader(text))
    {
        DateParseHandling = DateParseHandling.None,
        FloatParseHandling = FloatParseHandling.Double,
    };

    /// <summary>The first pass; false when the document cannot be loaded.</summary>
    private bool Scan()
    {
        var scopes = new Stack<Scope>();
        int previousEnd = 0;
        bool sawValue = false;
        using JsonTextReader reader = CreateReader();
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonToken.Comment)
                {
                    previousEnd = OffsetOf(reader.LineNumber, reader.LinePosition);
                    continue;
                }

                if (reader.TokenType == JsonToken.Undefined)
                {
                    // Newtonsoft reads "[1,,2]" as an undefined element; its position is unreliable, so leave
                    // previousEnd alone and point at the extra comma.
                    Report(PositionOf(FindExtraComma(previousEnd, scopes)), "missing value: two commas in a row or a comma after '['");
                    continue;
                }

                int start = SkipToToken(previousEnd, out int lastComma);
                int end = OffsetOf(reader.LineNumber, reader.LinePosition);
                tokenStarts[(reader.LineNumber, reader.LinePosition)] = start;
                sawValue = true;
                switch (reader.TokenType)
                {
                    case JsonToken.StartObject:
                        scopes.Push(new Scope(start, new Dictionary<string, int>(StringComparer.Ordinal)));
                        break;
                    case JsonToken.StartArray:
                        scopes.Push(new Scope(start, Names: null));
                        break;
                    case JsonToken.EndObject:
                    case JsonToken.EndArray:
                        scopes.Pop();
                        if (lastComma >= 0)
                        {
                            Report(PositionOf(lastComma), $"trailing comma before '{text[start]}'");
                        }

                        break;
                    case JsonToken.PropertyName:
                        CheckPropertyName((string)reader.Value!, start, scopes.Peek());
                        break;
                    case JsonToken.String:
                        CheckString(start);
                        break;
                    case JsonToken.Integer:
                        CheckInteger(reader.Value, start, end);
                        break;
                    case JsonToken.Float:
                        CheckFloat((double)reader.Value!, start, end);
                        break;
                    default:
                        break;
                }

                previousEnd = end;
            }
        }
        catch (JsonReaderException exception)
        {
            ReportSyntaxError(exception);
            return false;
        }

        if (scopes.Count > 0)
        {
            Scope open = scopes.Peek();
            Report(
                PositionOf(text.Length),
                $"unexpected end of file: '{text[open.Start]}' at {PositionOf(open.Start)} is never closed");
            return false;
        }

        if (!sawValue)
        {
            Report(new SourcePosition(1, 1), "the file contains no JSON value");
            return false;
        }

        return !unloadable;
    }

    private JToken? Load()
    {
        using JsonTextReader reader = CreateReader();
        try
        {
            return JToken.Load(reader, new JsonLoadSettings
            {
                LineInfoHandling = LineInfoHandling.Load,
                DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Ignore,
                CommentHandling = CommentHandling.Ignore,
            });
        }
        catch (JsonReaderException exception)
        {
            ReportSyntaxError(exception);
            return null;
        }
    }

    private void CheckPropertyName(string name, int start, Scope scope)
    {
        if (UnpairedSurrogate(start) is { } unpaired)
        {
            // Not named: Newtonsoft has read it as U+FFFD, which is not what the file says.
            Refuse(unpaired, "property name " + UnpairedSurrogates.Description);
            return;
        }

        if (text[start] != '"')
        {
            Report(PositionOf(start), $"property name '{name}' must be in double quotes");
        }

        if (!scope.Names!.TryAdd(name, start))
        {
            Report(PositionOf(start), $"duplicate property '{name}' (first at {PositionOf(scope.Names[name])})");
        }
    }

    private void CheckString(int start)
    {
        if (text[start] != '"')
        {
            Report(PositionOf(start), "strings must be in double quotes");
        }

        if (UnpairedSurrogate(start) is { } unpaired)
        {
            Refuse(unpaired, "string " + UnpairedSurrogates.Description);
        }
    }

    /// <summary>
    /// Newtonsoft also reads octal (<c>010</c>) and hexadecimal (<c>0x1F</c>) integers, and integers of any size;
    /// JSON has no octal or hexadecimal, and a number here must fit a finite double.
    /// </summary>
    private void CheckInteger(object? value, int start, int end)
    {
        int digits = text[start] == '-' ? start + 1 : start;
        if (end - digits > 1 && text[digits] == '0')
        {
            Report(PositionOf(start), $"number '{text[start..end]}' must be written in decimal without leading zeros");
        }
        else if (value is BigInteger big && !double.IsFinite((double)big))
        {
            Refuse(start, OutOfRange(text[start..end]));
        }
    }

    /// <summary>
    /// Newtonsoft reads <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c>, which are not JSON, and a number beyond the
    /// range of a double (<c>1e400</c>) as infinity.
    /// </summary>
    private void CheckFloat(double value, int start, int end)
    {
        if (double.IsFinite(value))
        {
            return;
        }

        var written = text[start..end];
        Refuse(start, written.TrimStart('-') is "NaN" or "Infinity"
            ? $"'{written}' is not JSON: JSON numbers are finite and written in digits"
            : OutOfRange(written));
    }

    private static string OutOfRange(string number) =>
        $"number '{number}' is out of range: it must lie within ±1.7976931348623157e308, the range of a double";

    /// <summary>
    /// Reports what the document says but no tree Newtonsoft loads can hold as it is written (an infinity, U+FFFD in
    /// place of half a surrogate pair): like a syntax error, it stops the document from loading, so that nothing reads
    /// (or fmt writes) the value Newtonsoft made of it.
    /// </summary>
    private void Refuse(int offset, string message)
    {
        Report(PositionOf(offset), message);
        unloadable = true;
    }

    /// <summary>
    /// Where the string or property name whose quote is at <paramref name="start"/> holds a <c>\u</c> escape of half a
    /// surrogate pair without the escape of the other half right beside it (Newtonsoft reads it as U+FFFD; UTF-8
    /// cannot hold it), or such a half written as it is; null when it holds none.
    /// </summary>
    private int? UnpairedSurrogate(int start)
    {
        char quote = text[start];
        if (quote is not ('"' or '\''))
        {
            return null;
        }

        int? high = null;
        int i = start + 1;
        while (i < text.Length && text[i] != quote)
        {
            if (text[i] == '\\' && i + 5 < text.Length && text[i + 1] == 'u'
                && ushort.TryParse(text.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                if (char.IsLowSurrogate((char)code) && high is not null)
                {
                    high = null;
                }
                else if (high is not null || char.IsLowSurrogate((char)code))
                {
                    return high ?? i;
                }
                else if (char.IsHighSurrogate((char)code))
                {
                    high = i;
                }

                i += 6;
                continue;
            }

            if (high is not null)
            {
                return high;
            }

            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i += 2;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
            else
            {
                i += text[i] == '\\' ? 2 : 1;
            }
        }

        return high;
    }

    /// <summary>
    /// Reports a syntax error where the offending text starts. Newtonsoft's position is that of the last character it
    /// consumed, so the offending character is usually the next one; exceptions, by message: a wrong closing bracket
    /// ("JsonToken EndObject is not valid for closing JsonType Array") is the consumed character itself; a bad escape
    /// starts at its backslash; a bad literal or number ("Error parsing boolean value", "Input string '029' is not a
    /// valid number") starts where the word starts.
    /// </summary>
    private void ReportSyntaxError(JsonReaderException exception)
    {
        string message = exception.Message;
        int line = Math.Clamp(exception.LineNumber, 1, lineStarts.Count);
        int lineStart = lineStarts[line - 1];
        int offset = Math.Min(OffsetOf(line, exception.LinePosition), LineEnd(line));
        if (message.StartsWith("JsonToken ", StringComparison.Ordinal) && offset > lineStart)
        {
            offset--;
        }
        else if (message.Contains("escape sequence", StringComparison.Ordinal))
        {
            int backslash = offset > lineStart ? text.LastIndexOf('\\', offset - 1, offset - lineStart) : -1;
            offset = backslash >= 0 ? backslash : offset;
        }
        else if (message.StartsWith("Error parsing ", StringComparison.Ordinal) || message.StartsWith("Input string ", StringComparison.Ordinal))
        {
            while (offset > lineStart && (char.IsAsciiLetterOrDigit(text[offset - 1]) || text[offset - 1] is '-' or '+' or '.'))
            {
                offset--;
            }
        }

        int path = message.IndexOf(" Path '", StringComparison.Ordinal);
        if (path < 0)
        {
            path = message.IndexOf(", line ", StringComparison.Ordinal);
        }

        message = (path >= 0 ? message[..path] : message).Trim();
        Report(PositionOf(offset), $"invalid JSON: {message}");
    }

    /// <summary>
    /// The offset of the next token after <paramref name="from"/>, skipping white space, comments and the
    /// separators <c>,</c> and <c>:</c>; <paramref name="lastComma"/> is the offset of the last comma skipped or -1.
    /// </summary>
    private int SkipToToken(int from, out int lastComma)
    {
        lastComma = -1;
        int i = from;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c) || c == ':')
            {
                i++;
            }
            else if (c == ',')
            {
                lastComma = i++;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                int newline = text.IndexOfAny(['\r', '\n'], i);
                i = newline < 0 ? text.Length : newline;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                int close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = close < 0 ? text.Length : close + 2;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    /// <summary>The comma that leaves an array element empty: the first one after '[', else the second one.</summary>
    private int FindExtraComma(int from, Stack<Scope> scopes)
    {
        bool afterOpen = scopes.Count > 0 && scopes.Peek().Start == from - 1;
        int first = text.IndexOf(',', from);
        if (first < 0 || afterOpen)
        {
            return Math.Max(first, from);
        }

        int second = text.IndexOf(',', first + 1);
        return second < 0 ? first : second;
    }

    /// <summary>The 0-based offset just past the character Newtonsoft reports at (line, position).</summary>
    private int OffsetOf(int line, int position)
    {
        if (line < 1)
        {
            return 0;
        }

        int index = Math.Min(line, lineStarts.Count) - 1;
        return Math.Min(lineStarts[index] + position, text.Length);
    }

    private int LineEnd(int line)
    {
        int end = line < lineStarts.Count ? lineStarts[line] : text.Length;
        while (end > lineStarts[line - 1] && text[end - 1] is '\r' or '\n')
        {
            end--;
        }

        return end;
    }

    private SourcePosition PositionOf(int offset)
    {
        int index = lineStarts.BinarySearch(offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return new SourcePosition(index + 1, offset - lineStarts[index] + 1);
    }

    /// <summary>Offsets at which lines start; <c>\r\n</c>, <c>\n</c> and <c>\r</c> each end a line, as in Newtonsoft.</summary>
    private static List<int> FindLineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i++;
            }

            if (text[i] is '\r' or '\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    /// <summary>An open object (with its property names and where each first appeared) or array.</summary>
    private sealed record Scope(int Start, Dictionary<string, int>? Names);
}
