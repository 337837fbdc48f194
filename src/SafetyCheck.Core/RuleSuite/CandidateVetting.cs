using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.RuleSuite;

/// <summary>
/// Whether a candidate revision may serve: its snapshot loaded strictly from memory (which compiles and warms its
/// engine), and every rule case of the same snapshot passed, every rule fired by a case, and the review found no
/// error: the gate of <c>safetycheck test</c> and <c>check</c>, so a revision that fails them never serves.
/// </summary>
/// <param name="Snapshot">The files judged.</param>
/// <param name="RuleSet">The loaded candidate; null when it did not load.</param>
/// <param name="Suite">Its rule-suite run; null when it did not load.</param>
/// <param name="Problems">Every reason it may not serve (errors only), ordered by file, line and column; empty when it passed.</param>
public sealed record CandidateVetting(RuleDirectorySnapshot Snapshot, RuleSet? RuleSet, RuleSuiteReport? Suite, IReadOnlyList<Diagnostic> Problems)
{
    /// <summary>True when the candidate loaded and nothing stands against it.</summary>
    public bool Passed => RuleSet is not null && Problems.Count == 0;

    /// <summary>
    /// The warnings <c>check</c> would print for the candidate (the review's and the rule suite's), ordered by file, line
    /// and column: they do not stand against it, and a reload that serves it logs them. Empty when it did not load.
    /// </summary>
    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];

    /// <summary>Loads and vets <paramref name="snapshot"/>; the policy document is read from its directory.</summary>
    public static CandidateVetting Vet(RuleDirectorySnapshot snapshot, RuleSuiteRunner runner)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(runner);
        var load = RuleSetLoader.Load(snapshot.RevisionFiles);
        if (!load.Succeeded)
        {
            return new CandidateVetting(snapshot, null, null, load.Diagnostics);
        }

        var ruleSet = load.RuleSet;
        var suite = runner.Run(ruleSet, snapshot.CaseFiles);
        var failedCases = suite.Cases
            .Where(c => !c.Passed && !c.Todo)
            .Select(c => new Diagnostic(c.File, c.Line, 1, $"case '{c.Name}' failed: {string.Join("; ", c.Failures)}"));
        string? policyText = null;
        var problems = new List<Diagnostic>();
        try
        {
            policyText = ruleSet.Policy is { } policy && File.Exists(Path.Combine(snapshot.Directory, policy.Path))
                ? File.ReadAllText(Path.Combine(snapshot.Directory, policy.Path))
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add(new Diagnostic(ruleSet.Policy!.Path, 0, 0, $"cannot read the policy document: {ex.Message}"));
        }

        problems.AddRange(suite.Diagnostics.Where(d => d.IsError));
        problems.AddRange(failedCases);
        problems.AddRange(suite.UncoveredRules(ruleSet));
        var review = RuleSetReview.Run(ruleSet, policyText);
        problems.AddRange(review.Where(d => d.IsError));
        return new CandidateVetting(snapshot, ruleSet, suite, Ordered(problems))
        {
            Warnings = Ordered(review.Concat(suite.Diagnostics).Where(d => !d.IsError)),
        };
    }

    private static Diagnostic[] Ordered(IEnumerable<Diagnostic> diagnostics) =>
        [.. diagnostics.OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column)];
}
