using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Formatting;

/// <summary>The canonical text of one file, or why it cannot be formatted.</summary>
/// <param name="Text">The canonical text; null when the file cannot be formatted.</param>
/// <param name="Diagnostics">Why it cannot (not well-formed JSON, a member given twice, comments); empty on success.</param>
public sealed record FormatResult(string? Text, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when <see cref="Text"/> holds the canonical text.</summary>
    public bool Succeeded => Text is not null;
}
