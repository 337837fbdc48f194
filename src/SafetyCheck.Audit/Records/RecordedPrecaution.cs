using SafetyCheck.Core.Domain;

namespace SafetyCheck.Audit.Records;

/// <summary>
/// A precaution as the audit record keeps it: what it contributed and why, without the texts and evidence, which the
/// archived revision holds.
/// </summary>
/// <param name="RuleId">Stable id of the rule (or a synthetic id such as <c>unrecognized-condition</c>).</param>
/// <param name="Outcome">What it contributed to the verdict, after any plan-conflict raise.</param>
/// <param name="Severity">How urgent it is.</param>
/// <param name="PlanConflict">The planned session broke it.</param>
/// <param name="AvoidAreas">Areas not to massage, in the order the response listed them.</param>
/// <param name="MaxPressure">Pressure limit; Unspecified means none.</param>
/// <param name="TriggeredBy"><c>system|code</c> of input conditions or fact names that made it fire.</param>
public readonly record struct RecordedPrecaution(
    string RuleId,
    Suitability Outcome,
    Severity Severity,
    bool PlanConflict,
    IReadOnlyList<BodyArea> AvoidAreas,
    Pressure MaxPressure,
    IReadOnlyList<string> TriggeredBy);
