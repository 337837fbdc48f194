using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.RuleSuite;

/// <summary>The results of a rule-suite run.</summary>
/// <param name="Cases">Every case in file then case order.</param>
/// <param name="Coverage">For every rule id, how many cases fired it (a case in which it errored does not count).</param>
/// <param name="Diagnostics">Problems with the case files themselves (bad JSON, unknown rule ids in expectations).</param>
/// <remarks>
/// When the run was filtered (<see cref="Filter"/>), <see cref="Cases"/> and <see cref="Coverage"/> hold the
/// selected cases only, so a rule with no selected case is not <see cref="Uncovered"/> by that alone: read coverage
/// from a full run.
/// </remarks>
public sealed record RuleSuiteReport(
    IReadOnlyList<CaseResult> Cases,
    IReadOnlyDictionary<string, int> Coverage,
    IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>The filter the run selected its cases with; null for a run of every case.</summary>
    public CaseFilter? Filter { get; init; }

    public int Passed => Cases.Count(c => c.Passed && !c.Todo);

    public int Failed => Cases.Count(c => !c.Passed && !c.Todo);

    public int Todo => Cases.Count(c => c.Todo);

    /// <summary>
    /// Rules fired by no case; always empty for a filtered run, which cannot tell, and while a case file has an error
    /// (a case that could not be read may be the one that fires a rule: the error is reported, and fails the run, alone).
    /// </summary>
    public IReadOnlyList<string> Uncovered => Filter is not null || Diagnostics.Any(d => d.IsError)
        ? []
        : Coverage.Where(kv => kv.Value == 0).Select(kv => kv.Key).ToArray();

    /// <summary>
    /// An error at each case in which a rule could not be evaluated, todo or not: <c>check</c> reports these with the
    /// rules no case fires, since a rule that errors in one case passes coverage when another case fires it.
    /// </summary>
    public IEnumerable<Diagnostic> RuleErrors() =>
        Cases.SelectMany(c => c.RuleErrors.Select(e => new Diagnostic(c.File, c.Line, 1, $"case '{c.Name}': {e}")));

    /// <summary>A diagnostic at each rule of <paramref name="ruleSet"/> no case fires, pointing at its <c>RuleName</c>; none for a filtered run.</summary>
    public IEnumerable<Diagnostic> UncoveredRules(RuleSet ruleSet)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        var uncovered = Uncovered.ToHashSet(StringComparer.Ordinal);
        return ruleSet.Rules
            .Where(r => uncovered.Contains(r.RuleId))
            .Select(r => new Diagnostic(r.File, r.Line, Math.Max(r.Column, 1), $"rule '{r.RuleId}' is fired by no case: add a case that fires it to the *.cases.json beside {Path.GetFileName(r.File)}"));
    }
}
