using SafetyCheck.Core.Catalog;

namespace SafetyCheck.Core.Rules;

/// <summary>
/// The checks <c>check</c> and <c>test</c> run on a rule set that loaded, beyond what loading requires: the catalog
/// review (warnings, see <see cref="CatalogReview"/>), literal numbers where a policy parameter of the same meaning
/// exists (warnings, see <see cref="LiteralParameterReview"/>) and the policy document cross-check (errors, see
/// <see cref="PolicyDocumentChecker"/>). Serving runs none of them.
/// </summary>
public static class RuleSetReview
{
    /// <summary>Every finding, ordered by file, line and column.</summary>
    /// <param name="ruleSet">A loaded rule set.</param>
    /// <param name="policyText">The text of the policy document <see cref="RuleSet.Policy"/> names; null when it does not exist (or none is named).</param>
    public static IReadOnlyList<Diagnostic> Run(RuleSet ruleSet, string? policyText)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        return CatalogReview.Review(ruleSet.Catalog, RuleSetLoader.CatalogFileName)
            .Concat(LiteralParameterReview.Review(ruleSet))
            .Concat(PolicyDocumentChecker.Check(ruleSet, policyText))
            .OrderBy(d => d.File, StringComparer.Ordinal)
            .ThenBy(d => d.Line)
            .ThenBy(d => d.Column)
            .ToList();
    }

    /// <summary>
    /// The policy document's text read from the rule directory the rule set was loaded from; null when the rule set
    /// names none, was loaded from memory, or the file does not exist.
    /// </summary>
    /// <exception cref="IOException">The file exists but could not be read.</exception>
    public static string? ReadPolicyText(RuleSet ruleSet)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        if (ruleSet.Policy is not { } policy || ruleSet.Directory is null)
        {
            return null;
        }

        var path = Path.Combine(ruleSet.Directory, policy.Path);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }
}
