namespace SafetyCheck.Core.Rules;

/// <summary>One row of a table of the policy document that names rule ids (see <see cref="PolicyDocumentChecker.ReadRows"/>).</summary>
/// <param name="Section">The heading the table stands under (without the #s); empty before any heading.</param>
/// <param name="Headers">The table's header cells, e.g. row, fires when, verdict, what changes, codes, evidence, rule ids.</param>
/// <param name="Cells">The row's cells as written (Markdown), trimmed, in header order.</param>
/// <param name="RuleIds">The rule ids the row's <c>rule ids</c> cell names.</param>
/// <param name="Line">1-based line of the row in the document.</param>
public sealed record PolicyRow(string Section, IReadOnlyList<string> Headers, IReadOnlyList<string> Cells, IReadOnlyList<string> RuleIds, int Line);
