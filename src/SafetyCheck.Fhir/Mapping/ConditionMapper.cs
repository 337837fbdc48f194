using Hl7.Fhir.Model;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Validation;
using SafetyCheck.Fhir.Input;
using SafetyCheck.Fhir.Terminology;
using SafetyCheck.Fhir.Values;

namespace SafetyCheck.Fhir.Mapping;

/// <summary>
/// One FHIR Condition to the request's conditions (one per body area it names, or one without a site), or to
/// nothing, with every element it did not use reported.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>subject</c> naming another patient: ignored. No subject: kept (a condition can only add caution).</item>
/// <item><c>verificationStatus</c> refuted or entered-in-error: ignored. Every other value: kept. Several codings that
/// disagree keep the condition unless every one says refuted or entered-in-error (reported).</item>
/// <item><c>clinicalStatus</c> active, recurrence, relapse → ACTIVE; inactive, remission, resolved → RESOLVED; absent →
/// ACTIVE; any other code → ACTIVE (reported). Several codings that disagree: the most cautious, ACTIVE (reported).</item>
/// <item><c>onset[x]</c> (dateTime, Period, Age) denotes a span of dates. A condition whose onset can only lie after
/// the session date (its earliest date is after it) is not yet the child's at the session: it is ignored and reported
/// with that date, whatever its status, so the request never carries an onset after <c>as_of</c> (which the request
/// validator refuses). A span that may lie on or before the session date (<c>2026-03</c> for a session on 2026-03-02)
/// is kept. The onset date is the latest date of the span, but not
/// after the session date (so a recency window is never missed) and not before birth (a prenatal onset counts from
/// birth). <c>onsetRange</c> is a range of ages: from its low age to the last day of its high age. An onset that is
/// absent or cannot be read (<c>onsetString</c>, a range without a high age) is bounded by what the condition says of
/// itself: it cannot be after an abatement that resolves it nor after <c>recordedDate</c>, so the earlier of the two (not
/// after the session date, not before birth) is the onset's latest date and is sent; with neither, it is undated.</item>
/// <item><c>abatement[x]</c> (dateTime, Period end, Age): wholly on or before the session date → RESOLVED; wholly
/// after it → still ACTIVE at the session. An abatement that contradicts an active clinicalStatus (FHIR invariant
/// con-4) is not read: the condition stays ACTIVE.</item>
/// <item><c>code</c>: see <see cref="CodingSelector"/>; the OIDs of ICD-10-CM and SNOMED CT are read as those systems.
/// An ACTIVE condition with no ICD-10-CM or SNOMED CT coding is a violation naming the systems sent (it could not be
/// recognised, and dropping it could hide what matters); a RESOLVED one is listed first among what was not used, as
/// one that may matter (like an unrecognised RESOLVED code, it does not change the verdict). A coding set aside that
/// the catalog reads as the chosen coding's very condition is not listed.</item>
/// <item><c>bodySite</c>: see <see cref="BodySiteMap"/>. <c>severity</c> and <c>stage</c> are reported as not used.</item>
/// </list>
/// </remarks>
internal sealed class ConditionMapper(CodingSelector selector, BodySiteMap bodySites)
{
    public void Map(LocatedResource located, Condition condition, MappingContext context, List<MappedCondition> output)
    {
        var label = located.Label;
        if (context.Subjects.Classify(condition.Subject) == SubjectMatch.Other)
        {
            context.Ignore(label, SubjectMatcher.OtherSubjectReason);
            return;
        }

        if (!IsVerified(condition, label, context))
        {
            return;
        }

        var (status, statusExplicitlyActive) = ClinicalStatus(condition, label, context);

        if (!TryOnset(condition, label, context, out var onset, out var onsetElement))
        {
            return;
        }

        status = Abatement(condition, label, context, status, statusExplicitlyActive, out var abatedBy);
        if (onset is null && onsetElement.Length == 0 && context.BirthDate is { } birth)
        {
            (onset, onsetElement) = BoundedOnset(condition, label, context, abatedBy, birth);
        }

        var choice = selector.Choose(condition.Code?.Coding.Select((c, i) => new CodingCandidate(i, FhirSystems.Canonical(c.System ?? ""), c.Code ?? "", c.Display ?? "")).ToArray() ?? []);
        foreach (var (coding, reason) in choice.SetAside)
        {
            // A coding the catalog reads as the very condition chosen (the same condition in the other code system)
            // lost nothing: listing it would only bury what may matter.
            if (!choice.SameAsChosen.Contains(coding.Index))
            {
                context.Ignore($"{label}.code.coding[{coding.Index}]", reason);
            }
        }

        if (choice.Chosen is not { } chosen)
        {
            var text = string.IsNullOrEmpty(condition.Code?.Text) ? "" : $", text '{Shorten(condition.Code.Text)}'";
            var systems = condition.Code?.Coding.Select(c => string.IsNullOrEmpty(c.System) ? "(no system)" : $"'{c.System}'").Distinct(StringComparer.Ordinal).ToList() ?? [];
            var sent = $" (sent: {(systems.Count == 0 ? "no coding" : "system " + string.Join(", ", systems))}{text}; the check reads {CodeSystems.Icd10Cm} and {CodeSystems.SnomedCt})";
            if (status == ConditionStatus.Active)
            {
                context.Reject(label + ".code", $"has no ICD-10-CM or SNOMED CT coding{sent}: the check cannot recognise an active condition it cannot read, and leaving it out could hide what matters");
            }
            else
            {
                // As an unrecognised RESOLVED code is listed and does not change the verdict, a resolved condition
                // the check cannot read is listed, first: if it was recent it may matter, whatever its status.
                var when = onset is { } date ? $"its onset is {MappingContext.Format(date)} at the latest" : "its onset is unknown";
                context.IgnoreMayMatter(label, $"has no ICD-10-CM or SNOMED CT coding{sent}; it is resolved ({when}), but the check cannot tell what it was, and a recent one may matter whatever its status: ask the clinician, or send it with an ICD-10-CM or SNOMED CT coding");
            }

            return;
        }

        foreach (var element in new[] { ("severity", condition.Severity is not null), ("stage", condition.Stage.Count > 0) })
        {
            if (element.Item2)
            {
                context.Ignore($"{label}.{element.Item1}", "not used: the rules decide by code, status, onset and body site");
            }
        }

        var display = string.IsNullOrEmpty(chosen.Display) ? condition.Code?.Text ?? "" : chosen.Display;
        var mapped = new MappedCondition
        {
            Label = label,
            Coding = chosen,
            Display = TextLength.Truncate(display, RequestValidator.MaxDisplayLength),
            Status = status,
            Onset = onset,
            OnsetElement = onsetElement,
        };

        var areas = BodyAreas(condition, label, context);
        if (areas.Count == 0)
        {
            output.Add(mapped);
        }

        foreach (var area in areas)
        {
            output.Add(mapped with { BodySite = area });
        }
    }

    /// <summary>
    /// False when the condition is not the child's: every condition-ver-status coding says refuted or entered-in-error.
    /// Codings that disagree (refuted beside confirmed) keep it, noted: dropping a condition on one coding of several
    /// could hide what matters.
    /// </summary>
    private static bool IsVerified(Condition condition, string label, MappingContext context)
    {
        var codes = Codes(condition.VerificationStatus, FhirSystems.ConditionVerification);
        if (codes.Length == 0)
        {
            return true;
        }

        if (codes.All(c => c is "refuted" or "entered-in-error"))
        {
            context.Ignore(label, $"verificationStatus is {string.Join(" and ", codes)}: not the child's condition");
            return false;
        }

        if (codes.Any(c => c is "refuted" or "entered-in-error"))
        {
            context.Ignore(label + ".verificationStatus", $"has codings that disagree ({string.Join(", ", codes)}): the condition is kept, the most cautious reading");
        }

        return true;
    }

    /// <summary>
    /// The status from the condition-clinical codings. Several that disagree (resolved beside active) are read the most
    /// cautious way, noted: active (or an unknown code, read as active) over inactive, remission or resolved.
    /// </summary>
    private static (ConditionStatus Status, bool ExplicitlyActive) ClinicalStatus(Condition condition, string label, MappingContext context)
    {
        if (condition.ClinicalStatus is null)
        {
            return (ConditionStatus.Active, false);
        }

        var codes = Codes(condition.ClinicalStatus, FhirSystems.ConditionClinical);
        if (codes.Length == 0)
        {
            context.Ignore(label + ".clinicalStatus", $"has no coding from {FhirSystems.ConditionClinical}: read as active");
            return (ConditionStatus.Active, false);
        }

        var path = label + ".clinicalStatus";
        var disagree = codes.Select(ReadClinical).Distinct().Count() > 1;
        var reading = codes.Any(c => ReadClinical(c) == ClinicalReading.Active) ? ClinicalReading.Active
            : codes.Any(c => ReadClinical(c) == ClinicalReading.Unknown) ? ClinicalReading.Unknown
            : ClinicalReading.Resolved;
        foreach (var unknown in codes.Where(c => ReadClinical(c) == ClinicalReading.Unknown))
        {
            context.Ignore(path, $"'{unknown}' is not a condition-clinical code: read as active");
        }

        if (disagree)
        {
            context.Ignore(path, $"has codings that disagree ({string.Join(", ", codes)}): read as active, the most cautious reading");
        }

        return reading switch
        {
            ClinicalReading.Active => (ConditionStatus.Active, true),
            ClinicalReading.Resolved => (ConditionStatus.Resolved, false),
            _ => (ConditionStatus.Active, false),
        };
    }

    private enum ClinicalReading
    {
        Active,
        Resolved,
        Unknown,
    }

    private static ClinicalReading ReadClinical(string code) => code switch
    {
        "active" or "recurrence" or "relapse" => ClinicalReading.Active,
        "inactive" or "remission" or "resolved" => ClinicalReading.Resolved,
        _ => ClinicalReading.Unknown,
    };

    /// <summary>The distinct codes of <paramref name="concept"/>'s codings from <paramref name="system"/>, in the order sent.</summary>
    private static string[] Codes(CodeableConcept? concept, string system) =>
        concept?.Coding.Where(c => c.System == system && !string.IsNullOrEmpty(c.Code)).Select(c => c.Code!).Distinct(StringComparer.Ordinal).ToArray() ?? [];

    /// <summary>False when the onset can only be after the session date (the condition is ignored and reported).</summary>
    private static bool TryOnset(Condition condition, string label, MappingContext context, out DateOnly? onset, out string element)
    {
        onset = null;
        var read = ReadWhen(condition.Onset, "onset", periodEndOnly: false, context, out element, out var span, out var problem);
        if (read is When.Absent or When.NeedsBirthDate)
        {
            element = "";
            return true;
        }

        if (read is not When.Read)
        {
            // Kept undated here; BoundedOnset may still bound it by the abatement or recordedDate, and says so.
            context.Ignore($"{label}.{element}", (read is When.NotRead ? "not read (only onsetDateTime, onsetPeriod, onsetAge and onsetRange are)" : problem) + ": the onset is unknown");
            element = "";
            return true;
        }

        if (span.First > context.AsOfDate)
        {
            context.Ignore($"{label}.{element}", $"begins after the session date (as_of {context.AsOfText}): the earliest date it can denote is {MappingContext.Format(span.First)}, so the condition is not yet the child's and is not checked");
            return false;
        }

        var date = span.Last > context.AsOfDate ? context.AsOfDate : span.Last;
        if (context.BirthDate is { } born && date < born)
        {
            context.Ignore($"{label}.{element}", $"is before the birth date: the condition counts from the birth date ({MappingContext.Format(born)})");
            date = born;
        }

        onset = date;
        return true;
    }

    /// <summary>
    /// The latest date an onset that is absent or unread can be: not after the condition abated (<paramref name="abatedBy"/>,
    /// an abatement on or before the session date that resolves it)
    /// nor after it was recorded (<c>recordedDate</c>), and not after the session date nor before birth; a recency
    /// window is then never missed. Null (undated) when neither bounds it.
    /// </summary>
    private static (DateOnly? Onset, string Element) BoundedOnset(Condition condition, string label, MappingContext context, (DateOnly Last, string Element)? abatedBy, DateOnly birth)
    {
        (DateOnly Last, string Element)? recorded = condition.RecordedDateElement is { } recordedDate && FhirDates.Span(recordedDate, context.Zone) is { } span
            ? (span.Last, "recordedDate")
            : null;
        var bound = new[] { abatedBy, recorded }.Where(b => b is not null).Select(b => b!.Value).OrderBy(b => b.Last).FirstOrDefault();
        if (bound.Element is null)
        {
            return (null, "");
        }

        var date = bound.Last > context.AsOfDate ? context.AsOfDate : bound.Last;
        date = date < birth ? birth : date;
        if (condition.Onset is not null)
        {
            context.Ignore($"{label}.{bound.Element}", $"bounds the unknown onset: the onset is taken as {MappingContext.Format(date)}, the latest it can be, so a recency window is never missed");
        }

        return (date, bound.Element);
    }

    private static ConditionStatus Abatement(Condition condition, string label, MappingContext context, ConditionStatus status, bool explicitlyActive, out (DateOnly Last, string Element)? abatedBy)
    {
        abatedBy = null;
        var read = ReadWhen(condition.Abatement, "abatement", periodEndOnly: true, context, out var element, out var span, out var problem);
        var path = $"{label}.{element}";
        switch (read)
        {
            case When.Absent or When.NeedsBirthDate:
                return status;
            case When.NotRead:
                context.Ignore(path, "not read (only abatementDateTime, abatementPeriod and abatementAge are)");
                return status;
            case When.Unreadable:
                context.Ignore(path, problem + ": the status is taken from clinicalStatus");
                return status;
        }

        if (span.Last <= context.AsOfDate)
        {
            if (explicitlyActive)
            {
                context.Ignore(path, "contradicts an active clinicalStatus (FHIR invariant con-4): the condition stays active");
                return status;
            }

            abatedBy = (span.Last, element);
            return ConditionStatus.Resolved;
        }

        if (span.First > context.AsOfDate && status == ConditionStatus.Resolved)
        {
            context.Ignore(label + ".clinicalStatus", $"says resolved, but {element} is after the session date ({context.AsOfText}): the condition was still active at the session");
            return ConditionStatus.Active;
        }

        return status;
    }

    /// <summary>
    /// <c>onset[x]</c> or <c>abatement[x]</c> as the dates it can denote; <paramref name="element"/> is its name
    /// (<c>onsetDateTime</c>). A Period is read whole, or by its end alone for an abatement.
    /// </summary>
    private static When ReadWhen(DataType? value, string prefix, bool periodEndOnly, MappingContext context, out string element, out DateSpan span, out string problem)
    {
        element = "";
        span = default;
        problem = "cannot be read";
        DateSpan? read;
        switch (value)
        {
            case null:
                return When.Absent;
            case FhirDateTime dateTime:
                element = prefix + "DateTime";
                read = FhirDates.Span(dateTime, context.Zone);
                break;
            case Period period when periodEndOnly:
                element = prefix + "Period";
                read = period.EndElement is { } end ? FhirDates.Span(end, context.Zone) : null;
                problem = "has no end";
                break;
            case Period period:
                element = prefix + "Period";
                read = FhirDates.Span(period, context.Zone);
                break;
            case Hl7.Fhir.Model.Range range when !periodEndOnly:
                element = prefix + "Range";
                if (context.BirthDate is not { } born)
                {
                    return When.NeedsBirthDate;
                }

                read = AgeRange(range, born, out problem);
                break;
            case Age age:
                element = prefix + "Age";
                if (context.BirthDate is not { } birth)
                {
                    return When.NeedsBirthDate;
                }

                read = FhirDates.Span(age, birth, out problem);
                break;
            default:
                element = prefix + char.ToUpperInvariant(value.TypeName[0]) + value.TypeName[1..];
                return When.NotRead;
        }

        if (read is not { } dates)
        {
            return When.Unreadable;
        }

        span = dates;
        return When.Read;
    }

    /// <summary>
    /// The dates an <c>onsetRange</c> (a range of ages) can denote: from its low age (or birth) to the last day of its
    /// high age. Without a high age its latest date is unknown: null, with <paramref name="problem"/>.
    /// </summary>
    private static DateSpan? AgeRange(Hl7.Fhir.Model.Range range, DateOnly birth, out string problem)
    {
        problem = "";
        if (range.High is not { } high)
        {
            problem = "has no high age, so the latest date it can denote is unknown";
            return null;
        }

        if (FhirDates.Span(AsAge(high), birth, out var highProblem) is not { } last)
        {
            problem = "its high age " + highProblem;
            return null;
        }

        var first = birth;
        if (range.Low is { } low)
        {
            if (FhirDates.Span(AsAge(low), birth, out var lowProblem) is not { } earliest)
            {
                problem = "its low age " + lowProblem;
                return null;
            }

            first = earliest.First;
        }

        return new DateSpan(first, last.Last < first ? first : last.Last);
    }

    private static Age AsAge(Quantity quantity) => new()
    {
        Value = quantity.Value,
        Comparator = quantity.Comparator,
        Unit = quantity.Unit,
        System = quantity.System,
        Code = quantity.Code,
    };

    private List<BodyArea> BodyAreas(Condition condition, string label, MappingContext context)
    {
        var areas = new List<BodyArea>();
        for (var i = 0; i < condition.BodySite.Count; i++)
        {
            var found = condition.BodySite[i].Coding
                .Where(c => FhirSystems.Canonical(c.System ?? "") == CodeSystems.SnomedCt)
                .SelectMany(c => bodySites.AreasOf(c.Code ?? ""))
                .ToArray();
            if (found.Length == 0)
            {
                context.Ignore($"{label}.bodySite[{i}]", "no SNOMED CT body structure the body-site table maps to an area: the condition is sent without this site");
            }

            areas.AddRange(found);
        }

        return areas.Distinct().Order().ToList();
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    /// <summary>How an onset[x] or abatement[x] read.</summary>
    private enum When
    {
        Absent,
        Read,
        Unreadable,
        NotRead,
        NeedsBirthDate,
    }
}
