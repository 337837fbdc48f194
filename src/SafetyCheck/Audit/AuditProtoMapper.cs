using Google.Protobuf.WellKnownTypes;
using SafetyCheck.Core.Audit;
using SafetyCheck.Grpc;
using Proto = SafetyCheck.Protos.V1;

namespace SafetyCheck.Audit;

/// <summary>Audit records, verification reports and replays as the <c>safetycheck.v1.Audit</c> contract shows them.</summary>
internal static class AuditProtoMapper
{
    /// <summary>The entry for a stored row.</summary>
    /// <exception cref="InvalidDataException">The stored JSON is not a decision record.</exception>
    public static Proto.DecisionEntry ToEntry(StoredDecision row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var content = row.ToRecord().Content;
        var entry = new Proto.DecisionEntry
        {
            Sequence = (ulong)row.Sequence,
            DecisionId = row.DecisionId,
            RecordedAt = Timestamp.FromDateTimeOffset(content.RecordedAt),
            Caller = content.Caller,
            Ruleset = ProtoMapper.ToRef(content.Ruleset),
            Engine = content.EngineVersion,
            AsOf = Timestamp.FromDateTimeOffset(content.AsOf),
            TimeZone = content.TimeZoneId,
            Patient = new Proto.PatientPseudonym { Pseudonym = content.PatientPseudonym, KeyId = content.PseudonymKeyId },
            Facts = ProtoMapper.ToDerivedFacts(content.Facts),
            Verdict = (Proto.Suitability)content.Verdict,
            PrevHash = row.PrevHash,
            EntryHash = row.EntryHash,
            RecordJson = row.RecordJson,
        };
        entry.UnrecognizedConditions.AddRange(content.Unrecognized.Select(c => new Proto.CodeRef { System = c.System, Code = c.Code }));
        entry.Precautions.AddRange(content.Precautions.Select(p =>
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
        entry.Rules.AddRange(content.Rules.Select(r => new Proto.RuleTrace { RuleId = r.RuleId, Fired = r.Fired, Error = r.Error ?? "" }));
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
        };
        if (report.FirstBadSequence is { } first)
        {
            response.FirstBadSequence = (ulong)first;
        }

        return response;
    }

    public static Proto.ReplayDecisionResponse ToResponse(ReplayResult result, StoredDecision row)
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
            RecordIntact = AuditRecordIntegrity.IsIntact(row),
        };
        response.Differences.AddRange(result.Differences.Select(d => new Proto.ReplayDifference { Field = d.Field, Recorded = d.Recorded, Replayed = d.Replayed }));
        return response;
    }
}
