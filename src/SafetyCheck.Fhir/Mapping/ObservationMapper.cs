using System.Globalization;
using Hl7.Fhir.Model;
using SafetyCheck.Fhir.Input;
using SafetyCheck.Fhir.Values;

namespace SafetyCheck.Fhir.Mapping;

/// <summary>
/// The Observations the check uses — gestational age at birth, birth weight, the session day's body temperature —
/// chosen among everything sent, with the rest reported.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Used by LOINC code (<see cref="ObservationCodes"/>), on the Observation itself (<c>code</c> and
/// <c>value[x]</c>) or on any of its components (<c>component[i].code</c> and <c>component[i].value[x]</c>: a
/// vital-signs panel's temperature, a birth record's gestational age). Any other Observation is ignored.</item>
/// <item>Status entered-in-error or cancelled: ignored. A subject that is not the Patient, or no subject: ignored
/// (a measurement of unknown ownership could lower the verdict). No value and no component: ignored. An Observation
/// with a code the check uses, no value and components none of which it can read is a violation: its value is
/// there, in a shape the check does not read, and dropping it could hide what matters.</item>
/// <item>Gestational age at birth: 76516-4 whatever its date; 11884-4 and 18185-9 only when taken on the birth date
/// (± <see cref="ObservationCodes.AtBirthToleranceDays"/> day), since they are how flowsheets record the current
/// gestational age. Taken later (or undated) they are reported as not at birth when a gestational age at birth is
/// among the rest, and are a violation naming their effective time otherwise.</item>
/// <item>Gestational age and birth weight do not change: of the most preferred code present, every value must agree,
/// else the values conflict (a violation, never a guess); other observations are reported as superseded or the
/// same.</item>
/// <item>Temperature: the latest reading whose time lies on the session date (in the session's time zone) and not
/// after the session time. A date-only reading counts from the start of its day. Every other reading is reported.</item>
/// <item>A value that cannot be converted (unknown unit, comparator, unreadable string) is a violation on the one
/// value the check would use.</item>
/// </list>
/// </remarks>
internal static class ObservationMapper
{
    public static MappedChild Map(IEnumerable<LocatedResource> observations, MappingContext context, MappedChild child)
    {
        var gestation = new List<Candidate>();
        var weight = new List<Candidate>();
        var temperature = new List<Candidate>();
        foreach (var located in observations)
        {
            var observation = (Observation)located.Resource;
            var own = KindOf(observation.Code);
            var parts = observation.Component
                .Select((component, index) => (Component: component, Index: index, Use: KindOf(component.Code)))
                .Where(p => p.Use.Kind != ObservationKind.None)
                .ToList();
            if (own.Kind == ObservationKind.None && parts.Count == 0)
            {
                context.Ignore(located.Label, $"its code is not one the check uses ({ObservationCodes.Described})");
                continue;
            }

            if (observation.Status is ObservationStatus.EnteredInError or ObservationStatus.Cancelled)
            {
                context.Ignore(located.Label, "status is " + (observation.Status == ObservationStatus.Cancelled ? "cancelled" : "entered-in-error"));
                continue;
            }

            if (context.Subjects.Classify(observation.Subject) is var match && match != SubjectMatch.ThisPatient)
            {
                context.Ignore(located.Label, match == SubjectMatch.Other
                    ? SubjectMatcher.OtherSubjectReason
                    : "its subject does not name the Patient of this check: cannot tell whose it is");
                continue;
            }

            var found = new List<Candidate>();
            if (own.Kind != ObservationKind.None)
            {
                if (observation.Value is not null)
                {
                    found.Add(new Candidate(located, observation, own, located.Label, observation.Value));
                }
                else if (parts.Count == 0 && observation.Component.Count > 0)
                {
                    var codes = string.Join(", ", observation.Component.SelectMany(c => c.Code?.Coding ?? []).Select(c => $"{c.System}|{c.Code}").Distinct(StringComparer.Ordinal));
                    context.Reject(located.Label + ".value[x]", $"is absent: this {Fact(own.Kind)} ({own.Loinc}) is in its components ({(codes.Length == 0 ? "no codes" : codes)}), which the check does not read; send the value as value[x] ({HowToSend(own.Kind)}), or as a component coded LOINC {own.Loinc}");
                }
                else if (parts.Count == 0)
                {
                    context.Ignore(located.Label, "has no value" + (observation.DataAbsentReason?.Text is { } why ? $" ({why})" : ""));
                }
            }

            foreach (var (component, index, use) in parts)
            {
                var path = $"{located.Label}.component[{index}]";
                if (component.Value is null)
                {
                    context.Ignore(path, "has no value" + (component.DataAbsentReason?.Text is { } why ? $" ({why})" : ""));
                }
                else
                {
                    found.Add(new Candidate(located, observation, use, path, component.Value));
                }
            }

            foreach (var candidate in found)
            {
                (candidate.Use.Kind switch
                {
                    ObservationKind.GestationalAge => gestation,
                    ObservationKind.BirthWeight => weight,
                    _ => temperature,
                }).Add(candidate);
            }
        }

        var ga = Unchanging(AtBirth(gestation, context), ObservationValues.GestationalAge, context, "gestational age at birth", v => v.ToString());
        var grams = Unchanging(weight, ObservationValues.BirthWeightGrams, context, "birth weight", v => v.ToString(CultureInfo.InvariantCulture) + " g");
        var celsius = LatestOnSessionDate(temperature, context);
        return child with
        {
            GestationalAge = ga?.Value,
            GestationalAgeElement = ga?.Element ?? "",
            BirthWeightGrams = grams?.Value,
            BirthWeightElement = grams?.Element ?? "",
            TemperatureCelsius = celsius?.Value,
            TemperatureElement = celsius?.Element ?? "",
        };
    }

    /// <summary>What a LOINC coding of <paramref name="code"/> makes an observation (or a component): the first coding the check uses decides.</summary>
    private static Use KindOf(CodeableConcept? code)
    {
        foreach (var coding in code?.Coding ?? [])
        {
            if (coding.System != FhirSystems.Loinc || coding.Code is not { } loinc)
            {
                continue;
            }

            for (var rank = 0; rank < ObservationCodes.GestationalAge.Count; rank++)
            {
                if (ObservationCodes.GestationalAge[rank] == loinc)
                {
                    return new Use(ObservationKind.GestationalAge, rank, loinc);
                }
            }

            if (loinc == ObservationCodes.BirthWeight)
            {
                return new Use(ObservationKind.BirthWeight, 0, loinc);
            }

            if (ObservationCodes.BodyTemperature.ContainsKey(loinc))
            {
                return new Use(ObservationKind.Temperature, 0, loinc);
            }
        }

        return new Use(ObservationKind.None, 0, "");
    }

    private static string Fact(ObservationKind kind) => kind switch
    {
        ObservationKind.GestationalAge => "gestational age",
        ObservationKind.BirthWeight => "birth weight",
        _ => "body temperature",
    };

    private static string HowToSend(ObservationKind kind) => kind switch
    {
        ObservationKind.GestationalAge => "valueQuantity in wk or d, or valueString \"30+3\"",
        ObservationKind.BirthWeight => "valueQuantity in g, kg, [lb_av] or [oz_av]",
        _ => "valueQuantity in Cel or [degF]",
    };

    /// <summary>
    /// The gestational ages that can be the one at birth: 76516-4 whatever its date; 11884-4 and 18185-9 only when
    /// taken on the birth date. The others are reported when one at birth remains, and are violations otherwise.
    /// </summary>
    private static List<Candidate> AtBirth(List<Candidate> candidates, MappingContext context)
    {
        if (context.BirthDate is not { } born)
        {
            // Already a violation on Patient.birthDate: nothing to compare with.
            return candidates;
        }

        var atBirth = new List<Candidate>();
        var notAtBirth = new List<(Candidate Candidate, string Element, string When)>();
        foreach (var candidate in candidates)
        {
            if (candidate.Use.Loinc == ObservationCodes.GestationalAgeAtBirth)
            {
                atBirth.Add(candidate);
                continue;
            }

            var (element, range) = Effective(candidate, context);
            if (range is not var (start, end))
            {
                notAtBirth.Add((candidate, element, "has no readable effective time"));
                continue;
            }

            var (first, last) = LocalDates(start, end, context.Zone);
            if (first >= born.AddDays(-ObservationCodes.AtBirthToleranceDays) && last <= born.AddDays(ObservationCodes.AtBirthToleranceDays))
            {
                atBirth.Add(candidate);
                continue;
            }

            var days = first.DayNumber - born.DayNumber;
            var when = first != last
                ? $"was taken between {MappingContext.Format(first)} and {MappingContext.Format(last)}, not on the birth date ({MappingContext.Format(born)})"
                : days > 0
                    ? $"was taken on {MappingContext.Format(first)}, {days} days after the birth date ({MappingContext.Format(born)})"
                    : $"was taken on {MappingContext.Format(first)}, {-days} days before the birth date ({MappingContext.Format(born)})";
            notAtBirth.Add((candidate, element, when));
        }

        foreach (var (candidate, element, when) in notAtBirth)
        {
            var what = $"LOINC {candidate.Use.Loinc} (gestational age) {when}";
            if (atBirth.Count > 0)
            {
                context.Ignore(candidate.Label, $"{what}: it gives the gestational age on the day it was taken, not at birth (the gestational age at birth is read from {atBirth[0].Label})");
            }
            else
            {
                context.Reject(element, $"{candidate.Label} is {what}: this code gives the gestational age on the day it was taken (how flowsheets record the current gestational age), not at birth, and read as the gestational age at birth it could make a preterm baby look term; send LOINC {ObservationCodes.GestationalAgeAtBirth} (gestational age at birth), or give it an effective date on the birth date");
            }
        }

        return atBirth;
    }

    /// <summary>The effective element's path and the instants it can denote; null when it is absent or cannot be read.</summary>
    private static (string Element, (DateTimeOffset Start, DateTimeOffset End)? Range) Effective(Candidate candidate, MappingContext context)
    {
        var label = candidate.Located.Label;
        return candidate.Observation.Effective switch
        {
            FhirDateTime dateTime => (label + ".effectiveDateTime", FhirDates.Range(dateTime, context.Zone)),
            Instant instant => (label + ".effectiveInstant", FhirDates.Range(instant)),
            Period { EndElement: { } periodEnd } => (label + ".effectivePeriod", FhirDates.Range(periodEnd, context.Zone)),
            Period { StartElement: { } periodStart } => (label + ".effectivePeriod", FhirDates.Range(periodStart, context.Zone)),
            Period => (label + ".effectivePeriod", null),
            null => (label + ".effective[x]", null),
            var other => ($"{label}.effective{char.ToUpperInvariant(other.TypeName[0])}{other.TypeName[1..]}", null),
        };
    }

    private static (DateOnly First, DateOnly Last) LocalDates(DateTimeOffset start, DateTimeOffset end, TimeZoneInfo zone)
    {
        var first = FhirDates.LocalDate(start, zone);
        var last = end > start ? FhirDates.LocalDate(end.AddTicks(-1), zone) : first;
        return (first, last < first ? first : last);
    }

    /// <summary>A fact that does not change (gestational age at birth, birth weight): the preferred code's agreed value.</summary>
    private static (T Value, string Element)? Unchanging<T>(
        List<Candidate> candidates, Func<DataType?, MeasuredValue<T>> read, MappingContext context, string fact, Func<T, string> show)
        where T : struct
    {
        if (candidates.Count == 0)
        {
            return null;
        }

        var bestRank = candidates.Min(c => c.Use.Rank);
        var preferred = candidates.Where(c => c.Use.Rank == bestRank).ToList();
        var values = new List<(Candidate Candidate, T Value)>();
        foreach (var candidate in preferred)
        {
            var value = read(candidate.Value);
            if (value.IsRead)
            {
                values.Add((candidate, value.Value));
            }
            else
            {
                context.Reject(candidate.ValuePath, $"{fact} {value.Problem}");
            }
        }

        if (values.Count < preferred.Count)
        {
            return null;
        }

        var (first, firstValue) = values[0];
        foreach (var (other, otherValue) in values.Skip(1))
        {
            if (EqualityComparer<T>.Default.Equals(firstValue, otherValue))
            {
                context.Ignore(other.Label, $"the same {fact} as {first.Label} ({show(firstValue)})");
            }
            else
            {
                context.Reject(other.ValuePath, $"{fact} {show(otherValue)} conflicts with {first.Label} ({show(firstValue)}): the check cannot tell which is right");
            }
        }

        foreach (var other in candidates.Where(c => c.Use.Rank != bestRank))
        {
            context.Ignore(other.Label, $"superseded by {first.Label} (LOINC {first.Use.Loinc} is preferred for {fact})");
        }

        return (firstValue, first.ValuePath);
    }

    private static (double Value, string Element)? LatestOnSessionDate(List<Candidate> candidates, MappingContext context)
    {
        var onTheDay = new List<(Candidate Candidate, DateTimeOffset Start, DateTimeOffset End)>();
        foreach (var candidate in candidates)
        {
            if (Effective(candidate, context).Range is not var (start, end))
            {
                context.Ignore(candidate.Label, "has no readable effective time: cannot tell whether it was taken on the session date");
                continue;
            }

            var (firstDate, lastDate) = LocalDates(start, end, context.Zone);
            if (firstDate <= context.AsOfDate && context.AsOfDate <= lastDate && firstDate != lastDate)
            {
                // A month, a year or a period across midnight: it may or may not have been taken on the day.
                context.Ignore(candidate.Label, $"its effective time spans {MappingContext.Format(firstDate)} to {MappingContext.Format(lastDate)}: cannot tell whether it was taken on the session date ({context.AsOfText}); the therapist's own check at the session covers it");
            }
            else if (firstDate != context.AsOfDate || lastDate != context.AsOfDate)
            {
                context.Ignore(candidate.Label, $"not taken on the session date ({context.AsOfText})");
            }
            else if (start > context.Session.ScheduledAt)
            {
                context.Ignore(candidate.Label, "taken after the session time");
            }
            else
            {
                onTheDay.Add((candidate, start, end));
            }
        }

        if (onTheDay.Count == 0)
        {
            return null;
        }

        var ordered = onTheDay.OrderByDescending(t => t.Start).ThenByDescending(t => t.End).ToList();
        var latest = ordered[0];
        var value = ObservationValues.TemperatureCelsius(latest.Candidate.Value);
        if (!value.IsRead)
        {
            context.Reject(latest.Candidate.ValuePath, "body temperature " + value.Problem);
            return null;
        }

        foreach (var (other, start, end) in ordered.Skip(1))
        {
            var sameTime = start == latest.Start && end == latest.End;
            var otherValue = ObservationValues.TemperatureCelsius(other.Value);
            if (sameTime && (!otherValue.IsRead || otherValue.Value != value.Value))
            {
                context.Reject(other.ValuePath, $"body temperature conflicts with {latest.Candidate.Label}, taken at the same time: the check cannot tell which is right");
            }
            else
            {
                context.Ignore(other.Label, $"not the latest temperature on the session date ({latest.Candidate.Label} is)");
            }
        }

        return (value.Value, latest.Candidate.ValuePath);
    }

    /// <summary>What a code makes an observation: its kind, its rank among the codes of that kind (0 preferred), and the LOINC code.</summary>
    private sealed record Use(ObservationKind Kind, int Rank, string Loinc);

    /// <summary>One value the check could use: an Observation's own, or one of its components'.</summary>
    /// <param name="Located">The Observation as sent.</param>
    /// <param name="Observation">The Observation (its status, subject and effective time apply to its components too).</param>
    /// <param name="Use">What its code makes it.</param>
    /// <param name="Label">How messages name it: <c>Observation/ga</c>, or <c>Observation/vitals.component[2]</c>.</param>
    /// <param name="Value">Its value[x].</param>
    private sealed record Candidate(LocatedResource Located, Observation Observation, Use Use, string Label, DataType Value)
    {
        /// <summary>The value element: <c>Observation/ga.valueQuantity</c>, <c>Observation/vitals.component[2].valueQuantity</c>.</summary>
        public string ValuePath => Value switch
        {
            Quantity => Label + ".valueQuantity",
            FhirString => Label + ".valueString",
            _ => Label + ".value[x]",
        };
    }
}
