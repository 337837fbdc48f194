using System.Globalization;
using System.Text.RegularExpressions;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Terminology;

/// <summary>
/// Reads an ICD-10-CM code table (<c>terminology/icd10cm-fyYYYY.txt</c>) strictly, reporting every problem at its
/// line and column. The format, one line per category:
/// <code>
/// # comment
/// A00 0 1 9
/// T88 0 0XX/ADS 1 1XX/ADS
/// </code>
/// The first word is a 3-character category (itself a code); each further word is the rest of one code after the
/// category, dot omitted; <c>stem/LETTERS</c> stands for the 7-character codes category + stem + each letter (the
/// stem is a code only when it is also listed on its own). Words are separated by single spaces.
/// </summary>
internal static partial class Icd10CmCodeTableReader
{
    /// <summary>The file name of a code table: <c>icd10cm-fy2026.txt</c>.</summary>
    [GeneratedRegex("^icd10cm-fy(?<year>[0-9]{4})\\.txt$", RegexOptions.CultureInvariant)]
    public static partial Regex FileNamePattern();

    private const int CategoryLength = 3;

    /// <summary>The table, or null when the file has any problem (each reported to <paramref name="diagnostics"/>).</summary>
    /// <param name="file">The path relative to the rule directory; its name gives the fiscal year.</param>
    /// <param name="text">The file's text.</param>
    /// <param name="diagnostics">Where problems go.</param>
    public static Icd10CmCodeTable? Read(string file, string text, ICollection<Diagnostic> diagnostics)
    {
        var name = FileNamePattern().Match(Path.GetFileName(file));
        if (!name.Success)
        {
            diagnostics.Add(new Diagnostic(file, 0, 0, "an ICD-10-CM code table is named icd10cm-fyYYYY.txt after its fiscal year, e.g. icd10cm-fy2026.txt"));
            return null;
        }

        int before = diagnostics.Count;
        var packed = new List<long>(100_000);
        var seen = new HashSet<long>();
        int lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.EndsWith('\r') ? rawLine[..^1] : rawLine;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            ReadLine(file, line, lineNumber, packed, seen, diagnostics);
        }

        if (packed.Count == 0 && diagnostics.Count == before)
        {
            diagnostics.Add(new Diagnostic(file, 0, 0, "the code table lists no code"));
        }

        return diagnostics.Count > before
            ? null
            : new Icd10CmCodeTable(int.Parse(name.Groups["year"].ValueSpan, CultureInfo.InvariantCulture), file, [.. packed]);
    }

    private static void ReadLine(string file, string line, int lineNumber, List<long> packed, HashSet<long> seen, ICollection<Diagnostic> diagnostics)
    {
        Span<char> code = stackalloc char[Icd10Syntax.MaxLength];
        int start = 0;
        int word = 0;
        while (start <= line.Length)
        {
            int end = line.IndexOf(' ', start);
            if (end < 0)
            {
                end = line.Length;
            }

            var token = line.AsSpan(start, end - start);
            int column = start + 1;
            if (token.IsEmpty)
            {
                Report(diagnostics, file, lineNumber, column, "words are separated by single spaces, with none at the start or end of a line");
                return;
            }

            if (word == 0)
            {
                if (!IsCategory(token))
                {
                    Report(diagnostics, file, lineNumber, column, $"'{token}' is not an ICD-10-CM category: a letter and two letters or digits, upper case");
                    return;
                }

                token.CopyTo(code);
                Add(code[..CategoryLength], file, lineNumber, column, packed, seen, diagnostics);
            }
            else
            {
                ReadWord(token, code, file, lineNumber, column, packed, seen, diagnostics);
            }

            word++;
            start = end + 1;
        }
    }

    private static void ReadWord(
        ReadOnlySpan<char> token, Span<char> code, string file, int line, int column, List<long> packed, HashSet<long> seen, ICollection<Diagnostic> diagnostics)
    {
        int slash = token.IndexOf('/');
        if (slash < 0)
        {
            if (token.Length > Icd10Syntax.MaxLength - CategoryLength || !AllCodeCharacters(token))
            {
                Report(diagnostics, file, line, column, $"'{token}' is not the rest of a code: 1 to 4 upper-case letters or digits after the category");
                return;
            }

            token.CopyTo(code[CategoryLength..]);
            Add(code[..(CategoryLength + token.Length)], file, line, column, packed, seen, diagnostics);
            return;
        }

        var stem = token[..slash];
        var letters = token[(slash + 1)..];
        if (stem.Length != Icd10Syntax.MaxLength - CategoryLength - 1 || !AllCodeCharacters(stem) || letters.IsEmpty || !AllCodeCharacters(letters))
        {
            Report(diagnostics, file, line, column, $"'{token}' is not a folded group: 3 characters, '/', then the 7th characters, e.g. '1XX/ADS'");
            return;
        }

        stem.CopyTo(code[CategoryLength..]);
        foreach (char seventh in letters)
        {
            code[^1] = seventh;
            Add(code, file, line, column, packed, seen, diagnostics);
        }
    }

    private static void Add(ReadOnlySpan<char> code, string file, int line, int column, List<long> packed, HashSet<long> seen, ICollection<Diagnostic> diagnostics)
    {
        Icd10CmCodeTable.TryPack(code, out long value);
        if (!seen.Add(value))
        {
            Report(diagnostics, file, line, column, $"code {code} is listed twice");
            return;
        }

        packed.Add(value);
    }

    private static bool IsCategory(ReadOnlySpan<char> token) =>
        token.Length == CategoryLength && Icd10Syntax.IsLetter(token[0]) && AllCodeCharacters(token);

    private static bool AllCodeCharacters(ReadOnlySpan<char> token)
    {
        foreach (char c in token)
        {
            if (!Icd10Syntax.IsCodeCharacter(c))
            {
                return false;
            }
        }

        return true;
    }

    private static void Report(ICollection<Diagnostic> diagnostics, string file, int line, int column, string message) =>
        diagnostics.Add(new Diagnostic(file, line, column, message));
}
