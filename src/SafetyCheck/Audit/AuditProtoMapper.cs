using Google.Protobuf.WellKnownTypes;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Replay;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Verification;
using SafetyCheck.Core.Rules;
using SafetyCheck.Check;
using Proto = SafetyCheck.Protos.V1;

namespace SafetyCheck.Audit;

/// <summary>Audit records, verification reports and replays as the <c>safetycheck.v1.Audit</c> contract shows them.</summary>
internal static class AuditProtoMapper
{
    /// <summary>
    /// The entry for a stored decision: what its record says, with its rule set's name and version, and each
    /// precaution's details and every rule's result from <paramref name="result"/> (a v1 record's own, or a v2 record's
    /// replay that reproduced its digest). Without a result, precautions carry their rule id and plan conflict only, and
    /// the rules listed are those the record names (errored, or fired as a precaution or note).
    /// </summary>
    public static Proto.DecisionEntry ToEntry(StoredEntry row, DecisionRecord record, RulesetIdentity ruleset, DecisionResult? result)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(record);
        var content = record.Content;
        var entry = new Proto.DecisionEntry
        {
            Sequence = (ulong)row.Sequence,
            DecisionId = row.EntryId,
            RecordedAt = Timestamp.FromDateTimeOffset(content.RecordedAt),
            Caller = content.Caller,
            Ruleset = ProtoMapper.ToRef(ruleset),
            Engine = content.EngineVersion,
            AsOf = Timestamp.FromDateTimeOffset(content.AsOf),
            TimeZone = content.TimeZoneId,
            Patient = new Proto.PatientPseudonym { Pseudonym = content.PatientPseudonym, KeyId = content.PseudonymKeyId },
            Facts = ProtoMapper.ToDerivedFacts(content.Facts, content.TimeZoneId),
            Verdict = (Proto.Suitability)content.Verdict,
            PrevHash = row.PrevHash,
            EntryHash = row.EntryHash,
            RecordJson = row.RecordJson,
            Chain = row.Chain ?? "",
        };
        entry.UnrecognizedConditions.AddRange(content.Unrecognized.Select(c => new Proto.CodeRef { System = c.System, Code = c.Code }));
        result ??= Named(content);
        entry.Precautions.AddRange(result.Precautions.Select(p =>
        {
            var precaution = new Proto.RecordedPrecaution
            {
                RuleId = p.RuleId,
                Outcome = (Proto.Suitability)p.Outcome,
                Severity = (Proto.Severity)p.Severity,
                PlanConflict = p.PlanConflict,
                MaxPressure = (Proto.Pressure)p.MaxPressure,
            };
            precaution.AvoidAreas.AddRange(p.AvoidAreas.Select(a => (Proto.BodyArea)a));
            precaution.TriggeredBy.AddRange(p.TriggeredBy);
            return precaution;
        }));
        entry.Benefits.AddRange(content.Benefits);
        entry.Rules.AddRange(result.Rules.Select(r => new Proto.RuleTrace { RuleId = r.RuleId, Fired = r.Fired, Error = r.Error ?? "" }));
        return entry;
    }

    public static Proto.VerifyLogResponse ToResponse(VerificationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var response = new Proto.VerifyLogResponse
        {
            Ok = report.IsValid,
            EntriesChecked = (ulong)report.EntriesChecked,
            Message = report.Message,
            Problem = (Proto.VerificationProblem)report.Problem,
            HeadSize = (ulong)report.Head.Size,
            HeadHash = report.Head.HeadHash,
            BadRevision = report.Revision ?? "",
            BadFile = report.File ?? "",
        };
        if (report.FirstBadSequence is { } first)
        {
            response.FirstBadSequence = (ulong)first;
        }

        return response;
    }

    public static Proto.ReplayDecisionResponse ToResponse(ReplayResult result, StoredEntry row)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(row);
        var response = new Proto.ReplayDecisionResponse
        {
            Status = result.Status switch
            {
                ReplayStatus.Match => Proto.ReplayStatus.Match,
                ReplayStatus.Differs => Proto.ReplayStatus.Differs,
                ReplayStatus.RevisionNotArchived => Proto.ReplayStatus.RevisionNotArchived,
                ReplayStatus.RevisionUnloadable => Proto.ReplayStatus.RevisionUnloadable,
                ReplayStatus.RevisionMismatch => Proto.ReplayStatus.RevisionMismatch,
                _ => Proto.ReplayStatus.Unspecified,
            },
            Match = result.Matches,
            Revision = result.Revision,
            Message = result.Message,
            Sequence = (ulong)row.Sequence,
            RecordIntact = ChainHash.IsIntact(row),
        };
        response.Differences.AddRange(result.Differences.Select(d => new Proto.ReplayDifference { Field = d.Field, Recorded = d.Recorded, Replayed = d.Replayed }));
        return response;
    }

    /// <summary>What a v2 record names without its revision: precautions by id and plan conflict, the rules it implies fired or errored.</summary>
    private static DecisionResult Named(DecisionRecordDraft content)
    {
        var conflicts = content.PlanConflicts.ToHashSet(StringComparer.Ordinal);
        var errors = content.Errors.Select(e => e.RuleId).ToHashSet(StringComparer.Ordinal);
        return new DecisionResult(
            [.. content.Precautions.Select(id => new RecordedPrecaution(id, default, default, conflicts.Contains(id), [], default, []))],
            content.Benefits,
            [.. content.Errors, .. content.FiredRuleIds.Where(id => !errors.Contains(id)).Select(id => new Core.Evaluation.RuleOutcome(id, true, null))]);
    }
}
