using SafetyCheck.Core.Evaluation;

namespace SafetyCheck.Audit.Records;

/// <summary>
/// Everything a decision produced beyond its verdict: each precaution with its details, the benefit notes, and every
/// rule's result. A v1 record holds it; a v2 record holds its <see cref="ResultsDigest"/> instead, and replay on the
/// archived revision rebuilds it.
/// </summary>
/// <param name="Precautions">Precautions as returned, most restrictive first.</param>
/// <param name="Benefits">Rule ids of the benefit notes returned.</param>
/// <param name="Rules">Every rule's result in rule order: fired, not fired, or errored with its message.</param>
public sealed record DecisionResult(IReadOnlyList<RecordedPrecaution> Precautions, IReadOnlyList<string> Benefits, IReadOnlyList<RuleOutcome> Rules)
{
    /// <summary>The result of <paramref name="assessment"/>.</summary>
    public static DecisionResult Of(Assessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        return new DecisionResult(
            [.. assessment.Precautions.Select(p => new RecordedPrecaution(p.RuleId, p.Outcome, p.Severity, p.PlanConflict, p.AvoidAreas, p.MaxPressure, p.TriggeredBy))],
            [.. assessment.Benefits.Select(b => b.RuleId)],
            assessment.Trace);
    }

    /// <summary>Lowercase hex SHA-256 over this result (<see cref="ResultsDigest"/>).</summary>
    public string Digest() => ResultsDigest.Of(this);
}
