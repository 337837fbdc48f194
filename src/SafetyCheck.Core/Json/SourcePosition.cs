namespace SafetyCheck.Core.Json;

/// <summary>A 1-based line and column in a source file, as an editor shows them.</summary>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column, counted in UTF-16 code units (a tab counts as one).</param>
internal readonly record struct SourcePosition(int Line, int Column)
{
    /// <summary><c>line L, column C</c>, for messages that refer to another place in the file.</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"line {Line}, column {Column}");
}
