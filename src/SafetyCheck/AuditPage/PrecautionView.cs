using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.AuditPage;

/// <summary>A precaution of a decision: what the record (or its replay) says it contributed, with its archived texts and evidence.</summary>
/// <param name="RuleId">The rule (or a synthetic id such as <c>unrecognized-condition</c>).</param>
/// <param name="Outcome">What it contributed; null when only the rule id is known (the revision does not reproduce the record).</param>
/// <param name="Severity">How urgent; null when unknown.</param>
/// <param name="PlanConflict">The planned session broke it.</param>
/// <param name="AvoidAreas">Areas not to massage.</param>
/// <param name="MaxPressure">Pressure limit (UNSPECIFIED: none).</param>
/// <param name="TriggeredBy">Input codes or fact names that made it fire.</param>
/// <param name="Summary">Its summary in the archived revision; empty when unknown.</param>
/// <param name="Detail">What to do, from the archived revision; empty when unknown.</param>
/// <param name="Evidence">Grade and citations from the archived revision; <see cref="Evidence.None"/> when unknown.</param>
public sealed record PrecautionView(
    string RuleId,
    Suitability? Outcome,
    Severity? Severity,
    bool PlanConflict,
    IReadOnlyList<BodyArea> AvoidAreas,
    Pressure MaxPressure,
    IReadOnlyList<string> TriggeredBy,
    string Summary,
    string Detail,
    Evidence Evidence)
{
    /// <summary>
    /// True when it is not a rule of the archived revision but one the engine adds itself (for a code the catalog did
    /// not recognise): the rule trace does not list it.
    /// </summary>
    public bool BuiltIn { get; init; }
}
