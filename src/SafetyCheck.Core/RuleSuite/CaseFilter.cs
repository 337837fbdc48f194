namespace SafetyCheck.Core.RuleSuite;

/// <summary>
/// Which cases a run of the rule suite selects (<c>safetycheck test --filter TEXT</c>): a case matches when
/// <see cref="Text"/> occurs in its name or in its file's path (relative to the rule directory, forward slashes),
/// ignoring case, or when it is exactly a rule id the case's expectations name (<c>expect.rules</c> or
/// <c>expect.notRules</c>), so <c>--filter fever</c> runs the cases about fever whatever file they are in.
/// </summary>
/// <param name="Text">What to look for; not empty.</param>
public sealed record CaseFilter(string Text)
{
    /// <summary>True when the case is selected.</summary>
    /// <param name="file">The case file, relative to the rule directory.</param>
    /// <param name="name">The case's name.</param>
    /// <param name="expectedRules">The rule ids its expectations name, fired or not.</param>
    public bool Matches(string file, string name, IEnumerable<string> expectedRules)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(expectedRules);
        return name.Contains(Text, StringComparison.OrdinalIgnoreCase)
            || file.Contains(Text, StringComparison.OrdinalIgnoreCase)
            || expectedRules.Contains(Text, StringComparer.Ordinal);
    }
}
