using System.Text;
using Newtonsoft.Json.Linq;
using SafetyCheck.Core.Json;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Formatting;

/// <summary>
/// <c>safetycheck fmt</c>: one canonical layout for the JSON files of a rule directory (rule files, case files,
/// <c>ruleset.json</c>, <c>conditions.json</c> and the SNOMED CT expansions), so that diffs show meaning only. The
/// layout is <see cref="JsonLayoutWriter"/>'s, with the member order of each file's JSON Schema. Formatting never
/// changes what a file says: the result's UTF-8 bytes, what fmt writes, are decoded and read again as strictly as a
/// rule file is read, and compared with the original, member by member, before it is returned; a file that is not
/// well-formed, gives a member twice, holds comments (which the layout would drop) or holds what the strict reader
/// refuses (half a surrogate pair, a number beyond a double) is not formatted.
/// </summary>
public static class RuleFileFormatter
{
    /// <summary>The widest line the layout fills arrays up to, in characters.</summary>
    public const int LineWidth = JsonLayoutWriter.Width;

    /// <summary>UTF-8 as fmt writes it (no byte order mark), refusing what it cannot encode instead of replacing it.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>True for the files fmt formats: the JSON files of a rule directory that have a schema.</summary>
    /// <param name="path">Relative to the rule directory, forward slashes.</param>
    public static bool Formats(string path) => RuleSetFileKinds.SchemaFile(RuleSetFileKinds.Of(path)) is not null;

    /// <summary>The canonical text of the file at <paramref name="path"/> whose text is <paramref name="text"/>.</summary>
    /// <param name="path">Relative to the rule directory, forward slashes: it decides the kind of file and its schema.</param>
    /// <param name="text">The file's text.</param>
    public static FormatResult Format(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        var kind = RuleSetFileKinds.Of(path);
        if (RuleSetFileKinds.SchemaFile(kind) is not { } schema)
        {
            return Fail(new Diagnostic(path, 0, 0, "not a file fmt formats: rule files, case files, ruleset.json, conditions.json and terminology/**/*.json"));
        }

        text = text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        var diagnostics = new List<Diagnostic>();
        var source = JsonSourceFile.Parse(path, text, diagnostics);
        if (FirstComment(text) is { } comment)
        {
            diagnostics.Add(new Diagnostic(path, comment.Line, comment.Column, "fmt keeps no comments and would drop this one: move what it says into a description, note or detail member, or remove it"));
        }

        if (diagnostics.Count > 0 || source.Root is null)
        {
            return new FormatResult(null, diagnostics);
        }

        var records = kind switch
        {
            RuleSetFileKind.Catalog => RecordLayout.Filled,
            RuleSetFileKind.SnomedExpansion => RecordLayout.OnePerLine,
            _ => RecordLayout.Expanded,
        };
        var formatted = new JsonLayoutWriter(SchemaLayout.For(schema), records).Write(source.Root);
        return JsonContent.Same(source.Root, ReadAsWritten(path, formatted))
            ? new FormatResult(formatted, [])
            : Fail(new Diagnostic(path, 0, 0, "fmt would change what this file says, so it leaves it as it is (a fault of fmt: please report it)"));
    }

    private static FormatResult Fail(Diagnostic diagnostic) => new(null, [diagnostic]);

    /// <summary>
    /// What a reader of the file will find once <paramref name="formatted"/> is written: its UTF-8 bytes, decoded and
    /// read again as strictly as a rule file is read; null when the text has no UTF-8 form (it holds half a surrogate
    /// pair, which UTF-8 would write as U+FFFD) or is not JSON a rule file may hold (<c>Infinity</c>).
    /// </summary>
    private static JToken? ReadAsWritten(string path, string formatted)
    {
        string written;
        try
        {
            written = StrictUtf8.GetString(StrictUtf8.GetBytes(formatted));
        }
        catch (ArgumentException)
        {
            // EncoderFallbackException or DecoderFallbackException.
            return null;
        }

        var diagnostics = new List<Diagnostic>();
        var root = JsonSourceMap.Read(written, path, diagnostics).Root;
        return diagnostics.Count == 0 ? root : null;
    }

    /// <summary>Where the first comment (<c>//</c> or <c>/* */</c>, outside strings) starts; null when there is none.</summary>
    private static (int Line, int Column)? FirstComment(string text)
    {
        int line = 1;
        int lineStart = 0;
        bool inString = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
            }
            else if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] is '/' or '*')
            {
                return (line, i - lineStart + 1);
            }
        }

        return null;
    }
}
