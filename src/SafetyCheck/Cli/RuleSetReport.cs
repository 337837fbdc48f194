using System.Globalization;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Cli;

/// <summary>Writes rule-set problems the way editors, terminals and CI logs read them.</summary>
internal static class RuleSetReport
{
    /// <summary>One <c>file:line:col: error: message</c> (or <c>warning:</c>) line per diagnostic, then a count.</summary>
    public static void WriteDiagnostics(TextWriter writer, string directory, IReadOnlyList<Diagnostic> diagnostics, bool colour = false)
    {
        foreach (var diagnostic in diagnostics)
        {
            writer.WriteLine(Format(directory, diagnostic, colour));
        }

        writer.WriteLine($"{Count(diagnostics)} in the rule set at {DisplayPath(directory, "")}");
    }

    /// <summary><c>N errors</c>, <c>N errors, M warnings</c> or <c>M warnings</c>.</summary>
    public static string Count(IReadOnlyList<Diagnostic> diagnostics)
    {
        int errors = diagnostics.Count(d => d.IsError);
        int warnings = diagnostics.Count - errors;
        string Plural(int n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? "" : "s")}");
        return warnings == 0 ? Plural(errors, "error")
            : errors == 0 ? Plural(warnings, "warning")
            : $"{Plural(errors, "error")}, {Plural(warnings, "warning")}";
    }

    /// <summary>
    /// <c>file:line:col: error: message</c> (or <c>warning:</c>; <c>file: error: message</c> when the problem has no
    /// position in the file, such as a missing directory) with the file relative to the current directory when
    /// it is below it (so a terminal or editor can open it), absolute otherwise. With <paramref name="colour"/>, the
    /// position is bold and <c>error:</c> red, <c>warning:</c> yellow (the text stays the same).
    /// </summary>
    public static string Format(string directory, Diagnostic diagnostic, bool colour = false)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        var at = diagnostic.Line <= 0 ? "" : diagnostic.Column <= 0 ? $"{diagnostic.Line}:" : $"{diagnostic.Line}:{diagnostic.Column}:";
        var position = TerminalColours.Bold($"{DisplayPath(directory, diagnostic.File)}:{at}", colour);
        var severity = diagnostic.IsError ? TerminalColours.Red("error:", colour) : TerminalColours.Yellow("warning:", colour);
        return $"{position} {severity} {diagnostic.Message}";
    }

    /// <summary>A rule-set file for display: relative to the current directory when below it, absolute otherwise.</summary>
    public static string DisplayPath(string directory, string file)
    {
        var full = Path.GetFullPath(Path.Combine(directory, file));
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? full
            : relative.Replace('\\', '/');
    }
}
