using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Facts;

namespace SafetyCheck.Audit.Records;

/// <summary>
/// What a decision record says (schema <c>safetycheck.decision/v2</c>) before the writer places it in the chain (the
/// writer adds the sequence, <c>prev_hash</c> and <c>entry_hash</c>). It keeps what replay and audit need — the facts
/// the rules saw, the verdict, which precautions and benefit notes were returned, the revision, the caller, the times,
/// the pseudonym — and a digest of everything else (<see cref="ResultsDigest"/>): each precaution's details and every
/// rule's result, which the archived revision reproduces. No clear patient identifier and no birth date. Built by
/// <see cref="DecisionRecordFactory"/>; a v1 record reads back as this too (see <see cref="DecisionRecord.Legacy"/>).
/// </summary>
public sealed record DecisionRecordDraft : IAuditEntry
{
    /// <summary>UUIDv7 of the decision, lowercase canonical form; unique in a store.</summary>
    public required string DecisionId { get; init; }

    /// <summary>When the decision was made (server clock, UTC; stored to the 100 ns tick).</summary>
    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>Who asked: an API key name or token subject; <c>anonymous</c> when unauthenticated.</summary>
    public required string Caller { get; init; }

    /// <summary>The rule revision that answered (lowercase hex SHA-256); its name and version are in the archive.</summary>
    public required string Revision { get; init; }

    /// <summary>Versions of the evaluating code (<see cref="Records.EngineVersion.Current"/>).</summary>
    public required string EngineVersion { get; init; }

    /// <summary>The instant ages were computed at (UTC).</summary>
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>IANA zone whose calendar date of <see cref="AsOf"/> the ages used.</summary>
    public required string TimeZoneId { get; init; }

    /// <summary>Lowercase hex HMAC-SHA256 of the caller's patient_ref; empty when none was sent.</summary>
    public required string PatientPseudonym { get; init; }

    /// <summary>Id of the key behind <see cref="PatientPseudonym"/>, so look-ups survive key rotation; empty when there is no pseudonym.</summary>
    public required string PseudonymKeyId { get; init; }

    /// <summary>The derived facts the rules saw (ages, categories, session, observations, recognised conditions).</summary>
    public required ChildFacts Facts { get; init; }

    /// <summary>Codes the catalog did not recognise, as sent, in request order.</summary>
    public required IReadOnlyList<CodeReference> Unrecognized { get; init; }

    /// <summary>The combined verdict returned to the caller.</summary>
    public required Suitability Verdict { get; init; }

    /// <summary>Rule ids of the precautions returned, most restrictive first (as the response listed them).</summary>
    public required IReadOnlyList<string> Precautions { get; init; }

    /// <summary>Rule ids of the precautions the planned session broke (their outcome was raised), in the same order.</summary>
    public required IReadOnlyList<string> PlanConflicts { get; init; }

    /// <summary>Rule ids of the benefit notes returned.</summary>
    public required IReadOnlyList<string> Benefits { get; init; }

    /// <summary>The rules that errored, in rule order, with their messages (each also forced a review precaution).</summary>
    public required IReadOnlyList<RuleOutcome> Errors { get; init; }

    /// <summary>Lowercase hex SHA-256 over each precaution's details and every rule's result (<see cref="ResultsDigest"/>).</summary>
    public required string ResultsDigest { get; init; }

    /// <summary>Rule ids of the precautions and benefit notes, distinct, ordinal order: what list filters match on.</summary>
    public IReadOnlyList<string> FiredRuleIds
    {
        get
        {
            var ids = new string[Precautions.Count + Benefits.Count];
            for (var i = 0; i < Precautions.Count; i++)
            {
                ids[i] = Precautions[i];
            }

            for (var i = 0; i < Benefits.Count; i++)
            {
                ids[Precautions.Count + i] = Benefits[i];
            }

            Array.Sort(ids, StringComparer.Ordinal);
            var distinct = 0;
            for (var i = 0; i < ids.Length; i++)
            {
                if (distinct == 0 || !string.Equals(ids[distinct - 1], ids[i], StringComparison.Ordinal))
                {
                    ids[distinct++] = ids[i];
                }
            }

            return distinct == ids.Length ? ids : ids[..distinct];
        }
    }

    string IAuditEntry.Kind => EntryKinds.Decision;

    string IAuditEntry.EntryId => DecisionId;

    string? IAuditEntry.Revision => Revision;

    string? IAuditEntry.Verdict => EnumNames.Of(Verdict);

    string? IAuditEntry.RuleIds => DecisionRecordJson.RuleIdsColumn(FiredRuleIds);

    void IAuditEntry.WriteRecord(CanonicalJsonWriter writer, long sequence, string prevHash) =>
        DecisionRecordJson.Write(writer, this, sequence, prevHash);
}
