using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Facts;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Requests;
using SafetyCheck.Core.Rules;
using Domain = SafetyCheck.Core.Domain;
using Proto = SafetyCheck.Protos.V1;

namespace SafetyCheck.Check;

/// <summary>
/// The one place where the protobuf contract meets Core: requests are copied as sent (Core validates them),
/// assessments and rule sets are copied out. Core's enums carry the contract's numbers, so enums map by cast. The
/// per-call mappings (request in, response out) copy with plain loops into collections of the right size: no LINQ,
/// no growing.
/// </summary>
internal static class ProtoMapper
{
    /// <summary>Copies a request without judging it: absent messages stay null, enums stay wire numbers.</summary>
    public static UnvalidatedRequest ToUnvalidated(Proto.CheckRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new UnvalidatedRequest
        {
            RequestId = request.RequestId,
            Patient = request.Patient is { } p ? ToUnvalidated(p) : null,
            Conditions = ToUnvalidated(request.Conditions),
            Session = request.Session is { } s ? ToUnvalidated(s) : null,
            TemperatureCelsius = request.Observations is { HasTemperatureCelsius: true } t ? t.TemperatureCelsius : null,
            MinutesSinceLastFeed = request.Observations is { HasMinutesSinceLastFeed: true } f ? f.MinutesSinceLastFeed : null,
            Explain = request.Explain,
        };
    }

    /// <summary>The response for a decision; <paramref name="explain"/> adds the per-rule trace.</summary>
    public static Proto.CheckResponse ToResponse(Decided decided, bool explain)
    {
        ArgumentNullException.ThrowIfNull(decided);
        var response = ToResponse(decided.Assessment, decided.DecisionId, decided.EvaluatedAt, explain);
        if (decided.Receipt is { } receipt)
        {
            response.Audit = new Proto.AuditReceipt { Sequence = receipt.Sequence, EntryHash = receipt.EntryHash };
        }

        return response;
    }

    private static Proto.CheckResponse ToResponse(Assessment assessment, string decisionId, DateTimeOffset evaluatedAt, bool explain)
    {
        var response = new Proto.CheckResponse
        {
            DecisionId = decisionId,
            RequestId = assessment.RequestId,
            Suitability = (Proto.Suitability)assessment.Suitability,
            Facts = ToDerivedFacts(assessment.Facts, assessment.TimeZoneId),
            Ruleset = ToRef(assessment.Ruleset),
            AsOf = Timestamp.FromDateTimeOffset(assessment.AsOf),
            EvaluatedAt = Timestamp.FromDateTimeOffset(evaluatedAt),
        };
        var precautions = assessment.Precautions;
        response.Precautions.Capacity = precautions.Count;
        for (var i = 0; i < precautions.Count; i++)
        {
            response.Precautions.Add(ToPrecaution(precautions[i]));
        }

        var benefits = assessment.Benefits;
        response.Benefits.Capacity = benefits.Count;
        for (var i = 0; i < benefits.Count; i++)
        {
            var b = benefits[i];
            response.Benefits.Add(new Proto.EvidenceNote { RuleId = b.RuleId, Topic = b.Topic, Summary = b.Summary, Evidence = ToEvidence(b.Evidence) });
        }

        var unrecognized = assessment.Unrecognized;
        response.UnrecognizedConditions.Capacity = unrecognized.Count;
        for (var i = 0; i < unrecognized.Count; i++)
        {
            var c = unrecognized[i];
            response.UnrecognizedConditions.Add(new Proto.CodeRef { System = c.System, Code = c.Code, Reason = c.Reason });
        }

        if (explain)
        {
            var trace = assessment.Trace;
            response.Trace.Capacity = trace.Count;
            for (var i = 0; i < trace.Count; i++)
            {
                var t = trace[i];
                response.Trace.Add(new Proto.RuleTrace { RuleId = t.RuleId, Fired = t.Fired, Error = t.Error ?? "" });
            }
        }

        return response;
    }

    /// <summary>The active revision and every rule with its metadata, for <c>GetRuleset</c>.</summary>
    public static Proto.Ruleset ToRuleset(RuleSet ruleSet)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        var message = new Proto.Ruleset { Ref = ToRef(ruleSet.Identity), Description = ruleSet.Description };
        message.Parameters.AddRange(ruleSet.Parameters.Select(p => new Proto.PolicyParameter
        {
            Name = p.Name,
            Value = p.Value,
            Unit = p.Unit,
            Description = p.Description,
        }));
        message.Rules.AddRange(ruleSet.Rules.Select(ToRuleInfo));
        return message;
    }

    public static Proto.RulesetRef ToRef(RulesetIdentity identity) =>
        new() { Name = identity.Name, Version = identity.Version, Revision = identity.Revision };

    private static UnvalidatedPatient ToUnvalidated(Proto.Patient patient) => new()
    {
        PatientRef = patient.PatientRef,
        BirthDate = patient.BirthDate,
        GestationalAgeAtBirth = patient.GestationalAgeAtBirth is { } ga ? (ga.Weeks, ga.Days) : null,
        BirthWeightGrams = patient.HasBirthWeightGrams ? patient.BirthWeightGrams : null,
    };

    private static UnvalidatedCondition[] ToUnvalidated(RepeatedField<Proto.Condition> conditions)
    {
        if (conditions.Count == 0)
        {
            return [];
        }

        var result = new UnvalidatedCondition[conditions.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = ToUnvalidated(conditions[i]);
        }

        return result;
    }

    private static UnvalidatedCondition ToUnvalidated(Proto.Condition condition) => new()
    {
        System = condition.System,
        Code = condition.Code,
        Display = condition.Display,
        Status = (int)condition.Status,
        OnsetDate = condition.OnsetDate,
        BodySite = (int)condition.BodySite,
    };

    private static UnvalidatedSession ToUnvalidated(Proto.Session session) => new()
    {
        ScheduledAtSeconds = session.ScheduledAt?.Seconds,
        ScheduledAtNanos = session.ScheduledAt?.Nanos ?? 0,
        TimeZone = session.TimeZone,
        Setting = (int)session.Setting,
        Pressure = (int)session.Pressure,
        MedicalRelease = session.MedicalRelease,
        Areas = ToNumbers(session.Areas),
    };

    private static int[] ToNumbers(RepeatedField<Proto.BodyArea> areas)
    {
        if (areas.Count == 0)
        {
            return [];
        }

        var result = new int[areas.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (int)areas[i];
        }

        return result;
    }

    private static Proto.Precaution ToPrecaution(PrecautionResult precaution)
    {
        var message = new Proto.Precaution
        {
            RuleId = precaution.RuleId,
            Outcome = (Proto.Suitability)precaution.Outcome,
            Severity = (Proto.Severity)precaution.Severity,
            Summary = precaution.Summary,
            Detail = precaution.Detail,
            MaxPressure = (Proto.Pressure)precaution.MaxPressure,
            PlanConflict = precaution.PlanConflict,
            Evidence = ToEvidence(precaution.Evidence),
        };
        var avoid = precaution.AvoidAreas;
        message.AvoidAreas.Capacity = avoid.Count;
        for (var i = 0; i < avoid.Count; i++)
        {
            message.AvoidAreas.Add((Proto.BodyArea)avoid[i]);
        }

        var triggers = precaution.TriggeredBy;
        message.TriggeredBy.Capacity = triggers.Count;
        for (var i = 0; i < triggers.Count; i++)
        {
            message.TriggeredBy.Add(triggers[i]);
        }

        return message;
    }

    /// <summary>The facts as the contract gives them, with the local date they were computed on and its zone <paramref name="timeZoneId"/>.</summary>
    public static Proto.DerivedFacts ToDerivedFacts(ChildFacts facts, string timeZoneId)
    {
        var message = new Proto.DerivedFacts
        {
            ChronologicalAgeDays = facts.AgeDays,
            AsOfDate = facts.AsOfDate.ToString("yyyy'-'MM'-'dd", System.Globalization.CultureInfo.InvariantCulture),
            TimeZone = timeZoneId,
            AgeBand = (Proto.AgeBand)facts.AgeBandValue,
            GestationCategory = (Proto.GestationCategory)facts.GestationCategoryValue,
            BirthWeightCategory = (Proto.BirthWeightCategory)facts.BirthWeightCategoryValue,
        };
        if (facts.CorrectedAgeDays.ToNullableInt32() is { } corrected)
        {
            message.CorrectedAgeDays = corrected;
        }

        if (facts.PostmenstrualAgeDays.ToNullableInt32() is { } postmenstrual)
        {
            message.PostmenstrualAgeDays = postmenstrual;
        }

        // Several input codes may resolve to one canonical id: the contract lists each active id once, in request
        // order. A request has at most 100 conditions, so looking back through the list is cheaper than a set.
        var ids = message.ConditionIds;
        var conditions = facts.Conditions;
        for (var i = 0; i < conditions.Count; i++)
        {
            var condition = conditions[i];
            if (condition.Status == Domain.ConditionStatus.Active && !ids.Contains(condition.Id))
            {
                ids.Add(condition.Id);
            }
        }

        return message;
    }

    private static Proto.RuleInfo ToRuleInfo(RuleDefinition rule)
    {
        var message = new Proto.RuleInfo
        {
            RuleId = rule.RuleId,
            Kind = rule.Kind == RuleKind.Benefit ? "benefit" : "precaution",
            Outcome = (Proto.Suitability)rule.Outcome,
            Severity = (Proto.Severity)rule.Severity,
            Summary = rule.Summary,
            Detail = rule.Detail,
            MaxPressure = (Proto.Pressure)rule.MaxPressure,
            ConflictOutcome = (Proto.Suitability)rule.ConflictOutcome,
            Evidence = ToEvidence(rule.Evidence),
            Expression = rule.Expression,
            File = rule.File,
            Topic = rule.Topic,
        };
        message.AvoidAreas.AddRange(rule.AvoidAreas.Select(a => (Proto.BodyArea)a));
        message.ConditionIds.AddRange(rule.ConditionIds);
        return message;
    }

    private static Proto.Evidence ToEvidence(Evidence evidence)
    {
        var message = new Proto.Evidence { Grade = evidence.Grade };
        var citations = evidence.Citations;
        message.Citations.Capacity = citations.Count;
        for (var i = 0; i < citations.Count; i++)
        {
            var c = citations[i];
            message.Citations.Add(new Proto.Citation { Title = c.Title, Year = c.Year, Url = c.Url });
        }

        return message;
    }
}
