using System.Globalization;
using System.Text.RegularExpressions;

namespace SafetyCheck.Core.Rules;

/// <summary>
/// One problem found in a rule set, at the position a clinician's editor shows (1-based line and column of the
/// offending token's start).
/// </summary>
/// <param name="File">Path relative to the rule directory, with forward slashes.</param>
/// <param name="Line">1-based line; 0 when the problem concerns the whole file.</param>
/// <param name="Column">1-based column; 0 when unknown.</param>
/// <param name="Message">What is wrong and, where possible, how to fix it.</param>
public sealed partial record Diagnostic(string File, int Line, int Column, string Message)
{
    /// <summary>Error (the default) or warning.</summary>
    public DiagnosticSeverity Severity { get; init; } = DiagnosticSeverity.Error;

    /// <summary>True for an error.</summary>
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>A warning at the given position.</summary>
    public static Diagnostic Warning(string file, int line, int column, string message) =>
        new(file, line, column, message) { Severity = DiagnosticSeverity.Warning };

    /// <summary>
    /// <c>file:line:col: error: message</c> or <c>file:line:col: warning: message</c>, the format editors and CI
    /// logs understand.
    /// </summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {(IsError ? "error" : "warning")}: {Message}";

    /// <summary>
    /// A diagnostic read back from its <see cref="ToString"/> form (as a reload record keeps it); text of another form
    /// becomes an error about the whole rule directory (<c>.</c>) with the text as its message.
    /// </summary>
    public static Diagnostic Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = Written().Match(text);
        if (!match.Success
            || !int.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var line)
            || !int.TryParse(match.Groups[3].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var column))
        {
            return new Diagnostic(".", 0, 0, text);
        }

        var diagnostic = new Diagnostic(match.Groups[1].Value, line, column, match.Groups[5].Value);
        return match.Groups[4].Value == "warning" ? diagnostic with { Severity = DiagnosticSeverity.Warning } : diagnostic;
    }

    [GeneratedRegex(@"^(.+?):(\d{1,9}):(\d{1,9}): (error|warning): (.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Written();
}
