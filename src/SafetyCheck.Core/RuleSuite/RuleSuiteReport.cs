using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.RuleSuite;

/// <summary>The results of a rule-suite run.</summary>
/// <param name="Cases">Every case in file then case order.</param>
/// <param name="Coverage">For every rule id, how many cases fired it.</param>
/// <param name="Diagnostics">Problems with the case files themselves (bad JSON, unknown rule ids in expectations).</param>
public sealed record RuleSuiteReport(
    IReadOnlyList<CaseResult> Cases,
    IReadOnlyDictionary<string, int> Coverage,
    IReadOnlyList<Diagnostic> Diagnostics)
{
    public int Passed => Cases.Count(c => c.Passed && !c.Todo);

    public int Failed => Cases.Count(c => !c.Passed && !c.Todo);

    public int Todo => Cases.Count(c => c.Todo);

    /// <summary>Rules fired by no case.</summary>
    public IReadOnlyList<string> Uncovered => Coverage.Where(kv => kv.Value == 0).Select(kv => kv.Key).ToArray();
}
