using SafetyCheck.Core.Rules;

namespace SafetyCheck.Cli;

/// <summary>What one run of <c>check</c> found, whatever format it is written in.</summary>
/// <param name="Directory">The rule directory as given (diagnostics name files relative to it).</param>
/// <param name="RuleSet">The loaded rule set; null when it did not load.</param>
/// <param name="Diagnostics">Every error and warning, load or review.</param>
/// <param name="CaseCount">Cases read beside the rule files (0 when the rule set did not load).</param>
/// <param name="ExitCode">0 or 1, as the verb exits.</param>
internal sealed record CheckFindings(string Directory, RuleSet? RuleSet, IReadOnlyList<Diagnostic> Diagnostics, int CaseCount, int ExitCode)
{
    public int Errors => Diagnostics.Count(d => d.IsError);

    public int Warnings => Diagnostics.Count(d => !d.IsError);
}
