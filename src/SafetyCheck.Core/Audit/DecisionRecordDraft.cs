using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Facts;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Audit;

/// <summary>
/// The content of one decision record before the store places it in the chain (the store adds the sequence,
/// <c>prev_hash</c> and <c>entry_hash</c>). It holds no clear patient identifier and no birth date: the patient is a
/// keyed pseudonym and the child is described by derived facts only. Built by <see cref="DecisionRecordFactory"/>.
/// </summary>
public sealed record DecisionRecordDraft
{
    /// <summary>UUIDv7 of the decision, lowercase canonical form; unique in a store.</summary>
    public required string DecisionId { get; init; }

    /// <summary>When the decision was made (server clock, UTC; stored to the 100 ns tick).</summary>
    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>Who asked: an API key name or token subject; <c>anonymous</c> when unauthenticated.</summary>
    public required string Caller { get; init; }

    /// <summary>The rule set that answered (name, version, content revision).</summary>
    public required RulesetIdentity Ruleset { get; init; }

    /// <summary>Versions of the evaluating code: <c>RulesEngine/x SafetyCheck.Core/y</c>.</summary>
    public required string EngineVersion { get; init; }

    /// <summary>The instant ages were computed at (UTC).</summary>
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>IANA zone whose calendar date of <see cref="AsOf"/> the ages used.</summary>
    public required string TimeZoneId { get; init; }

    /// <summary>Lowercase hex HMAC-SHA256 of the caller's patient_ref; empty when none was sent.</summary>
    public required string PatientPseudonym { get; init; }

    /// <summary>Id of the key behind <see cref="PatientPseudonym"/>, so look-ups survive key rotation.</summary>
    public required string PseudonymKeyId { get; init; }

    /// <summary>The derived facts the rules saw (ages, categories, session, observations, recognised conditions).</summary>
    public required ChildFactsData Facts { get; init; }

    /// <summary>Codes the catalog did not recognise, as sent, in request order.</summary>
    public required IReadOnlyList<CodeReference> Unrecognized { get; init; }

    /// <summary>The combined verdict returned to the caller.</summary>
    public required Suitability Verdict { get; init; }

    /// <summary>Precautions as returned, most restrictive first.</summary>
    public required IReadOnlyList<RecordedPrecaution> Precautions { get; init; }

    /// <summary>Rule ids of the benefit notes returned.</summary>
    public required IReadOnlyList<string> Benefits { get; init; }

    /// <summary>Every rule's result in rule order: fired, not fired, or errored with its message.</summary>
    public required IReadOnlyList<RuleOutcome> Rules { get; init; }

    /// <summary>Rule ids of the precautions and benefit notes, distinct, ordinal order: what list filters match on.</summary>
    public IReadOnlyList<string> FiredRuleIds =>
        [.. Precautions.Select(p => p.RuleId).Concat(Benefits).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
