using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Verification;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.AuditPage;

/// <summary>Everything the decision page shows about one decision.</summary>
/// <param name="Row">The stored entry (record JSON, hashes).</param>
/// <param name="Record">The decision record read from it.</param>
/// <param name="Ruleset">The name, version and revision that answered.</param>
/// <param name="Facts">The facts the rules saw.</param>
/// <param name="Precautions">Each precaution with its evidence, most restrictive first.</param>
/// <param name="Benefits">The benefit notes.</param>
/// <param name="Trace">Every rule's result, replayed on the archived revision; null when it cannot be rebuilt exactly.</param>
/// <param name="TraceNote">Why the trace is missing; null when it is shown.</param>
/// <param name="Place">Its place in the chain, with what is wrong with its hash and links.</param>
/// <param name="Columns">The row's index columns that disagree with its record (what lists and filters show instead).</param>
public sealed record DecisionView(
    StoredEntry Row,
    DecisionRecord Record,
    RulesetIdentity Ruleset,
    IReadOnlyList<FactRow> Facts,
    IReadOnlyList<PrecautionView> Precautions,
    IReadOnlyList<BenefitView> Benefits,
    IReadOnlyList<RuleOutcome>? Trace,
    string? TraceNote,
    ChainPlace Place,
    IReadOnlyList<ColumnMismatch> Columns)
{
    /// <summary>
    /// True when the entry was changed after it was recorded: its record no longer hashes to its entry hash, a link to
    /// its neighbours does not hold, or its index columns disagree with its record.
    /// </summary>
    public bool Changed => !Place.Holds || Columns.Count > 0;
}
