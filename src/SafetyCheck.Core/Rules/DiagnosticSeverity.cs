namespace SafetyCheck.Core.Rules;

/// <summary>How serious a <see cref="Diagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The rule set cannot be used as it stands: it is never served, and <c>check</c> fails.</summary>
    Error = 0,

    /// <summary>
    /// The rule set works, but something is probably not what its authors meant (a catalog pattern that takes codes
    /// from another row, a SNOMED CT id two rows cover equally). <c>check</c> prints it and still succeeds, unless
    /// run with <c>--warnings-as-errors</c>.
    /// </summary>
    Warning = 1,
}
