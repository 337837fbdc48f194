using SafetyCheck.Core.Facts;

namespace SafetyCheck.Core.Evaluation;

/// <summary>
/// Everything evaluation needs about one request once facts are derived. It holds no birth date, so an audit record
/// can keep it and a replay can evaluate it again on the archived revision.
/// </summary>
/// <param name="RequestId">Caller's request id (echoed).</param>
/// <param name="PatientRef">Caller's opaque patient id; only ever stored as a keyed pseudonym.</param>
/// <param name="AsOf">The instant ages were computed at.</param>
/// <param name="TimeZoneId">IANA zone whose calendar date of <paramref name="AsOf"/> ages use.</param>
/// <param name="Facts">The derived facts.</param>
/// <param name="Unrecognized">Codes the catalog did not recognise, in request order.</param>
public sealed record EvaluationInput(
    string RequestId,
    string PatientRef,
    DateTimeOffset AsOf,
    string TimeZoneId,
    ChildFacts Facts,
    IReadOnlyList<CodeReference> Unrecognized);
