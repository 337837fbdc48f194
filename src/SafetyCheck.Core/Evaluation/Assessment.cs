using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Facts;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Evaluation;

/// <summary>
/// The outcome of evaluating one request: the combined verdict, precautions most severe first, benefit notes,
/// unrecognised codes, the derived facts and the rule revision. Deterministic for the same request, revision and as_of.
/// </summary>
public sealed record Assessment
{
    public required string RequestId { get; init; }

    /// <summary>The caller's opaque patient id, for the audit pseudonym only; never logged or stored in clear.</summary>
    public required string PatientRef { get; init; }

    /// <summary>IANA zone of the session (ages use the calendar date of <see cref="AsOf"/> there).</summary>
    public required string TimeZoneId { get; init; }

    public required Suitability Suitability { get; init; }

    /// <summary>Most restrictive outcome first, then severity, then rule id (ordinal).</summary>
    public required IReadOnlyList<PrecautionResult> Precautions { get; init; }

    public required IReadOnlyList<BenefitNote> Benefits { get; init; }

    /// <summary>Codes the catalog does not recognise, echoed exactly as sent, in request order.</summary>
    public required IReadOnlyList<CodeReference> Unrecognized { get; init; }

    public required ChildFacts Facts { get; init; }

    public required RulesetIdentity Ruleset { get; init; }

    /// <summary>The instant ages were computed at.</summary>
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>
    /// Every rule's result, in rule order (always computed; the response includes it only on request). Kept compactly:
    /// reading it allocates nothing per rule.
    /// </summary>
    public required IReadOnlyList<RuleOutcome> Trace { get; init; }
}
