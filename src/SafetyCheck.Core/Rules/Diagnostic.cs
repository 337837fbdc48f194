namespace SafetyCheck.Core.Rules;

/// <summary>
/// One problem found while loading a rule set, at the position a clinician's editor shows (1-based line and
/// column of the offending token's start).
/// </summary>
/// <param name="File">Path relative to the rule directory, with forward slashes.</param>
/// <param name="Line">1-based line; 0 when the problem concerns the whole file.</param>
/// <param name="Column">1-based column; 0 when unknown.</param>
/// <param name="Message">What is wrong and, where possible, how to fix it.</param>
public sealed record Diagnostic(string File, int Line, int Column, string Message)
{
    /// <summary><c>file:line:col: message</c>, the format editors and CI logs understand.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
