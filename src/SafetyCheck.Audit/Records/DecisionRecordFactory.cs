using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Core.Evaluation;

namespace SafetyCheck.Audit.Records;

/// <summary>
/// Maps an <see cref="Assessment"/> to the record the audit trail keeps (schema v2), and a stored record back to the
/// <see cref="EvaluationInput"/> a replay evaluates. The record keeps the minimum an auditor needs: derived facts, never
/// the birth date; a keyed pseudonym, never the patient_ref; the request id is not kept either (callers correlate by
/// decision id and receipt).
/// </summary>
public static class DecisionRecordFactory
{
    /// <summary>Caller identity recorded when the call was not authenticated.</summary>
    public const string AnonymousCaller = "anonymous";

    /// <summary>Longest caller identity recorded, in UTF-16 code units.</summary>
    public const int MaxCallerLength = 256;

    /// <summary>The record of <paramref name="assessment"/>, decided as <paramref name="decisionId"/> at <paramref name="recordedAt"/>.</summary>
    /// <param name="assessment">What was decided.</param>
    /// <param name="decisionId">The decision's UUIDv7 in lowercase canonical form (<c>xxxxxxxx-xxxx-7xxx-…</c>).</param>
    /// <param name="callerIdentity">API key name or token subject; null or blank records <see cref="AnonymousCaller"/>.</param>
    /// <param name="recordedAt">Server time of the decision, from the injected <see cref="TimeProvider"/>.</param>
    /// <param name="pseudonymiser">Turns the patient_ref into its pseudonym.</param>
    /// <exception cref="ArgumentException">The decision id is not a lowercase UUIDv7, or the caller identity is longer than <see cref="MaxCallerLength"/>.</exception>
    public static DecisionRecordDraft Create(
        Assessment assessment,
        string decisionId,
        string? callerIdentity,
        DateTimeOffset recordedAt,
        Pseudonymiser pseudonymiser)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(pseudonymiser);
        ValidateDecisionId(decisionId);
        var caller = string.IsNullOrWhiteSpace(callerIdentity) ? AnonymousCaller : callerIdentity;
        if (caller.Length > MaxCallerLength)
        {
            throw new ArgumentException($"A caller identity has at most {MaxCallerLength} characters.", nameof(callerIdentity));
        }

        return new DecisionRecordDraft
        {
            DecisionId = decisionId,
            RecordedAt = recordedAt.ToUniversalTime(),
            Caller = caller,
            Revision = assessment.Ruleset.Revision,
            EngineVersion = EngineVersion.Current,
            AsOf = assessment.AsOf.ToUniversalTime(),
            TimeZoneId = assessment.TimeZoneId,
            PatientPseudonym = pseudonymiser.Pseudonymise(assessment.PatientRef),
            PseudonymKeyId = assessment.PatientRef.Length == 0 ? "" : pseudonymiser.KeyId,
            Facts = assessment.Facts,
            Unrecognized = assessment.Unrecognized,
            Verdict = assessment.Suitability,
            Precautions = Selected(assessment.Precautions, p => true, p => p.RuleId),
            PlanConflicts = Selected(assessment.Precautions, p => p.PlanConflict, p => p.RuleId),
            Benefits = Selected(assessment.Benefits, b => true, b => b.RuleId),
            Errors = Selected(assessment.Trace, r => r.Errored, r => r),
            ResultsDigest = ResultsDigest.Of(assessment),
        };
    }

    /// <summary>
    /// What a replay evaluates: the recorded facts, unrecognised codes, as_of and zone. The request id and patient_ref
    /// are not recorded, so they are empty.
    /// </summary>
    public static EvaluationInput ToEvaluationInput(DecisionRecordDraft content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new EvaluationInput("", "", content.AsOf, content.TimeZoneId, content.Facts, content.Unrecognized);
    }

    /// <summary>The selected items of <paramref name="items"/>, mapped, as an array; the shared empty array when none is selected.</summary>
    private static TResult[] Selected<T, TResult>(IReadOnlyList<T> items, Func<T, bool> select, Func<T, TResult> map)
    {
        var count = 0;
        for (var i = 0; i < items.Count; i++)
        {
            count += select(items[i]) ? 1 : 0;
        }

        if (count == 0)
        {
            return [];
        }

        var result = new TResult[count];
        var next = 0;
        for (var i = 0; i < items.Count; i++)
        {
            if (select(items[i]))
            {
                result[next++] = map(items[i]);
            }
        }

        return result;
    }

    /// <summary>Checks that <paramref name="decisionId"/> is a UUID of version 7 in lowercase canonical form.</summary>
    /// <exception cref="ArgumentException">It is not.</exception>
    public static void ValidateDecisionId(string decisionId)
    {
        ArgumentNullException.ThrowIfNull(decisionId);
        if (!Guid.TryParseExact(decisionId, "D", out var guid) || guid.Version != 7 || guid.ToString("D") != decisionId)
        {
            throw new ArgumentException($"'{decisionId}' is not a lowercase UUIDv7.", nameof(decisionId));
        }
    }
}
