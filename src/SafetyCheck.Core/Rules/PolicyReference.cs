namespace SafetyCheck.Core.Rules;

/// <summary>
/// The policy document <c>ruleset.json</c> names in its optional <c>policy</c> member: the project's own clinical
/// policy, which <c>check</c> and <c>test</c> hold the rule ids against (see <see cref="PolicyDocumentChecker"/>).
/// </summary>
/// <param name="Path">Relative to the rule directory, forward slashes, e.g. <c>POLICY.md</c>.</param>
/// <param name="Line">1-based line of the <c>policy</c> value in <c>ruleset.json</c>.</param>
/// <param name="Column">1-based column of the <c>policy</c> value in <c>ruleset.json</c>.</param>
public sealed record PolicyReference(string Path, int Line, int Column);
