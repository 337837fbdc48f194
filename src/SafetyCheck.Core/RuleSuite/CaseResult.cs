namespace SafetyCheck.Core.RuleSuite;

/// <summary>One case's result.</summary>
/// <param name="File">Cases file, relative to the rule directory.</param>
/// <param name="Name">Case name, unique within its file.</param>
/// <param name="Line">1-based line of the case in its file.</param>
/// <param name="Passed">Every expectation held.</param>
/// <param name="Todo">Marked todo and no rule errored: reported, not counted as a failure.</param>
/// <param name="Failures">What did not hold, one line each.</param>
public sealed record CaseResult(string File, string Name, int Line, bool Passed, bool Todo, IReadOnlyList<string> Failures)
{
    /// <summary>
    /// The rules that fired (precautions and benefit notes), ordinal; empty when the request was not decided. A rule
    /// that errored is not among them (its fail-closed precaution is not the rule firing): it fails the case instead.
    /// </summary>
    public IReadOnlyList<string> Fired { get; init; } = [];

    /// <summary>The rules that could not be evaluated in this case, one line each (also among <see cref="Failures"/>).</summary>
    public IReadOnlyList<string> RuleErrors { get; init; } = [];

    /// <summary>The rule ids <c>expect.rules</c> names: they must fire.</summary>
    public IReadOnlyList<string> ExpectedRules { get; init; } = [];

    /// <summary>The rule ids <c>expect.notRules</c> names: they must not fire.</summary>
    public IReadOnlyList<string> ExpectedNotRules { get; init; } = [];

    /// <summary>Why the case is marked todo; null when it is not.</summary>
    public string? TodoReason { get; init; }

    /// <summary><c>file#name</c>: a stable key for a case (xunit rows use it).</summary>
    public string Key => File + "#" + Name;
}
