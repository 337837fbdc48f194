using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Json;

/// <summary>
/// A JSON file read for a clinician: parsed into a <see cref="JToken"/> tree with line information, with helpers that
/// turn a token into the 1-based line and column of its first character (Newtonsoft reports the position just past a
/// token) and into a <see cref="Diagnostic"/>.
/// </summary>
public sealed class JsonSourceFile
{
    private readonly string[] _lines;

    private JsonSourceFile(string displayPath, string text, JToken? root)
    {
        DisplayPath = displayPath;
        _lines = text.Split('\n');
        Root = root;
    }

    /// <summary>Path shown in diagnostics (relative to the rule directory, forward slashes).</summary>
    public string DisplayPath { get; }

    /// <summary>The parsed tree; null when the text is not valid JSON (see <see cref="Parse"/>'s diagnostics).</summary>
    public JToken? Root { get; }

    /// <summary>Parses <paramref name="text"/>; a syntax error becomes a diagnostic at the reader's position.</summary>
    public static JsonSourceFile Parse(string displayPath, string text, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var settings = new JsonLoadSettings
        {
            LineInfoHandling = LineInfoHandling.Load,
            CommentHandling = CommentHandling.Ignore,
            DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error,
        };
        using var reader = new JsonTextReader(new StringReader(text))
        {
            DateParseHandling = DateParseHandling.None,
            FloatParseHandling = FloatParseHandling.Double,
        };
        try
        {
            var root = JToken.ReadFrom(reader, settings);
            if (reader.Read() && reader.TokenType != JsonToken.Comment)
            {
                diagnostics.Add(new Diagnostic(displayPath, reader.LineNumber, Math.Max(1, reader.LinePosition), "unexpected content after the end of the JSON document"));
                return new JsonSourceFile(displayPath, text, null);
            }

            return new JsonSourceFile(displayPath, text, root);
        }
        catch (JsonReaderException ex)
        {
            diagnostics.Add(new Diagnostic(displayPath, Math.Max(1, ex.LineNumber), Math.Max(1, ex.LinePosition), "invalid JSON: " + TrimPath(ex.Message)));
            return new JsonSourceFile(displayPath, text, null);
        }
    }

    /// <summary>A diagnostic at the start of <paramref name="token"/>.</summary>
    public Diagnostic At(JToken token, string message)
    {
        var (line, column) = StartOf(token);
        return new Diagnostic(DisplayPath, line, column, message);
    }

    /// <summary>The 1-based line and column where <paramref name="token"/> starts in the source.</summary>
    public (int Line, int Column) StartOf(JToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var info = (IJsonLineInfo)token;
        if (!info.HasLineInfo())
        {
            return (0, 0);
        }

        var line = info.LineNumber;
        var end = info.LinePosition; // 1-based column of the token's last character (or just past it).
        var text = line - 1 < _lines.Length ? _lines[line - 1] : "";
        end = Math.Clamp(end, 0, text.Length);
        return token switch
        {
            JProperty property => (line, PropertyColumn(text, property.Name, end)),
            JValue { Type: JTokenType.String } => (line, StringStartColumn(text, end)),
            JObject or JArray => (line, Math.Max(1, BracketColumn(text, end, token is JObject ? '{' : '['))),
            _ => (line, ScalarStartColumn(text, end)),
        };
    }

    private static int PropertyColumn(string text, string name, int end)
    {
        var quoted = JsonConvert.ToString(name);
        var index = text.LastIndexOf(quoted, Math.Max(0, Math.Min(text.Length - 1, end)), StringComparison.Ordinal);
        if (index < 0)
        {
            index = text.IndexOf(quoted, StringComparison.Ordinal);
        }

        return index < 0 ? Math.Max(1, end) : index + 1;
    }

    private static int StringStartColumn(string text, int end)
    {
        // end points at or just past the closing quote; walk back to the matching opening quote.
        var closing = end - 1;
        while (closing >= 0 && closing < text.Length && text[closing] != '"')
        {
            closing--;
        }

        for (var k = closing - 1; k >= 0; k--)
        {
            if (text[k] == '"' && !IsEscaped(text, k))
            {
                return k + 1;
            }
        }

        return Math.Max(1, end);
    }

    private static int BracketColumn(string text, int end, char bracket)
    {
        var index = text.LastIndexOf(bracket, Math.Max(0, Math.Min(text.Length - 1, end)));
        return index < 0 ? end : index + 1;
    }

    private static int ScalarStartColumn(string text, int end)
    {
        var k = Math.Min(end, text.Length) - 1;
        while (k >= 0 && IsDelimiter(text[k]))
        {
            k--;
        }

        while (k > 0 && !IsDelimiter(text[k - 1]))
        {
            k--;
        }

        return Math.Max(1, k + 1);
    }

    private static bool IsDelimiter(char c) => c is ',' or ':' or '[' or '{' or ' ' or '\t' or '\r';

    private static bool IsEscaped(string text, int index)
    {
        var backslashes = 0;
        for (var k = index - 1; k >= 0 && text[k] == '\\'; k--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }

    private static string TrimPath(string message)
    {
        // Newtonsoft appends " Path '…', line N, position M." — the diagnostic already carries the position.
        var cut = message.IndexOf(" Path '", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(", line ", StringComparison.Ordinal);
        }

        return (cut < 0 ? message : message[..cut]).TrimEnd('.', ' ');
    }
}
