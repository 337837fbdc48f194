using SafetyCheck.Core.Rules;
using SafetyCheck.Core.RuleSuite;

namespace SafetyCheck.Cli;

/// <summary>Everything the traceability report shows, gathered by <c>report</c>.</summary>
/// <param name="RuleSet">The rule set reported on.</param>
/// <param name="Directory">The rule directory as shown.</param>
/// <param name="Suite">Its cases, every one run.</param>
/// <param name="PolicyRows">The rows of the policy document's rule-id tables; empty when it names none or has none.</param>
/// <param name="Review">The review's findings: policy cross-check errors, literal-number and catalog warnings, rules no case fires.</param>
/// <param name="Usage">How often each rule fired in the period; null when there is no audit trail.</param>
/// <param name="AuditTrail">The audit database read, or why none was.</param>
/// <param name="From">The period's start (inclusive); null: the trail's beginning.</param>
/// <param name="To">The period's end (exclusive); null: the trail's end.</param>
/// <param name="GeneratedAt">When the report was made.</param>
internal sealed record TraceabilityInput(
    RuleSet RuleSet,
    string Directory,
    RuleSuiteReport Suite,
    IReadOnlyList<PolicyRow> PolicyRows,
    IReadOnlyList<Diagnostic> Review,
    RuleFiringCounts? Usage,
    string AuditTrail,
    DateTimeOffset? From,
    DateTimeOffset? To,
    DateTimeOffset GeneratedAt);
