using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.RuleSets;

/// <summary>What one reload of the rule set did: returned by <c>ReloadRules</c>, shown by <c>GetRuleset</c>, recorded in the audit trail.</summary>
/// <param name="Outcome">Served, refused or unchanged.</param>
/// <param name="Trigger">A file watch or a caller.</param>
/// <param name="Caller">The caller that asked; null for a file watch.</param>
/// <param name="CandidateRevision">The revision the files read hash to, whether or not they loaded; empty when the directory could not be read.</param>
/// <param name="Serving">The revision serving once the reload ended; null while none does.</param>
/// <param name="PreviousRevision">The revision serving before it; null when none did.</param>
/// <param name="Diagnostics">Why the candidate was refused (errors), ordered by file, line and column; empty otherwise.</param>
/// <param name="CasesRun">Rule cases run on the candidate.</param>
/// <param name="CasesFailed">Of those, how many failed.</param>
/// <param name="AttemptedAt">When the reload ended (server clock).</param>
/// <param name="Elapsed">From reading the files to the outcome.</param>
internal sealed record ReloadReport(
    ReloadOutcome Outcome,
    ReloadTrigger Trigger,
    string? Caller,
    string CandidateRevision,
    RulesetIdentity? Serving,
    string? PreviousRevision,
    IReadOnlyList<Diagnostic> Diagnostics,
    int CasesRun,
    int CasesFailed,
    DateTimeOffset AttemptedAt,
    TimeSpan Elapsed)
{
    /// <summary>The reload's entry in the audit trail; null when it was not recorded (a file watch that changed nothing, or a store failure).</summary>
    public DecisionReceipt? Receipt { get; init; }

    /// <summary>
    /// True when a candidate that passed every check was refused only because the audit trail could not archive it or
    /// record its reload: the same files are tried again when the watch sees them, rather than refused from memory.
    /// </summary>
    public bool RefusedForTheStore { get; init; }
}
