namespace SafetyCheck.Core.Rules;

/// <summary>
/// One problem found in a rule set, at the position a clinician's editor shows (1-based line and column of the
/// offending token's start).
/// </summary>
/// <param name="File">Path relative to the rule directory, with forward slashes.</param>
/// <param name="Line">1-based line; 0 when the problem concerns the whole file.</param>
/// <param name="Column">1-based column; 0 when unknown.</param>
/// <param name="Message">What is wrong and, where possible, how to fix it.</param>
public sealed record Diagnostic(string File, int Line, int Column, string Message)
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
}
