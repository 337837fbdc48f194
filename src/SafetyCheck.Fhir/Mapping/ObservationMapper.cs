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
/// <item>Used by LOINC code (<see cref="FhirSystems.Loinc"/>): 76516-4, 11884-4, 18185-9 (gestational age at birth,
/// preferred in that order), 8339-4 (birth weight), 8310-5 (body temperature). Any other Observation is ignored.</item>
/// <item>Status entered-in-error or cancelled: ignored. A subject that is not the Patient, or no subject: ignored
/// (a measurement of unknown ownership could lower the verdict). No value: ignored.</item>
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
    private static readonly string[] GestationalAgeCodes = ["76516-4", "11884-4", "18185-9"];

    private const string BirthWeightCode = "8339-4";

    private const string TemperatureCode = "8310-5";

    public static MappedChild Map(IEnumerable<LocatedResource> observations, MappingContext context, MappedChild child)
    {
        var gestation = new List<Candidate>();
        var weight = new List<Candidate>();
        var temperature = new List<Candidate>();
        foreach (var located in observations)
        {
            var observation = (Observation)located.Resource;
            var (kind, rank) = KindOf(observation);
            if (kind == ObservationKind.None)
            {
                context.Ignore(located.Label, "its code is not one the check uses (LOINC 76516-4, 11884-4 or 18185-9 gestational age at birth; 8339-4 birth weight; 8310-5 body temperature)");
            }
            else if (observation.Status is ObservationStatus.EnteredInError or ObservationStatus.Cancelled)
            {
                context.Ignore(located.Label, "status is " + (observation.Status == ObservationStatus.Cancelled ? "cancelled" : "entered-in-error"));
            }
            else if (context.Subjects.Classify(observation.Subject) is var match && match != SubjectMatch.ThisPatient)
            {
                context.Ignore(located.Label, match == SubjectMatch.Other
                    ? SubjectMatcher.OtherSubjectReason
                    : "its subject does not name the Patient of this check: cannot tell whose it is");
            }
            else if (observation.Value is null)
            {
                context.Ignore(located.Label, "has no value" + (observation.DataAbsentReason?.Text is { } why ? $" ({why})" : ""));
            }
            else
            {
                var candidate = new Candidate(located, observation, rank);
                (kind switch
                {
                    ObservationKind.GestationalAge => gestation,
                    ObservationKind.BirthWeight => weight,
                    _ => temperature,
                }).Add(candidate);
            }
        }

        var ga = Unchanging(gestation, ObservationValues.GestationalAge, context, "gestational age at birth", v => v.ToString());
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

    private static (ObservationKind Kind, int Rank) KindOf(Observation observation)
    {
        foreach (var coding in observation.Code?.Coding ?? [])
        {
            if (coding.System != FhirSystems.Loinc)
            {
                continue;
            }

            var rank = Array.IndexOf(GestationalAgeCodes, coding.Code);
            if (rank >= 0)
            {
                return (ObservationKind.GestationalAge, rank);
            }

            switch (coding.Code)
            {
                case BirthWeightCode:
                    return (ObservationKind.BirthWeight, 0);
                case TemperatureCode:
                    return (ObservationKind.Temperature, 0);
            }
        }

        return (ObservationKind.None, 0);
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

        var bestRank = candidates.Min(c => c.Rank);
        var preferred = candidates.Where(c => c.Rank == bestRank).ToList();
        var values = new List<(Candidate Candidate, T Value)>();
        foreach (var candidate in preferred)
        {
            var value = read(candidate.Observation.Value);
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
                context.Ignore(other.Located.Label, $"the same {fact} as {first.Located.Label} ({show(firstValue)})");
            }
            else
            {
                context.Reject(other.ValuePath, $"{fact} {show(otherValue)} conflicts with {first.Located.Label} ({show(firstValue)}): the check cannot tell which is right");
            }
        }

        foreach (var other in candidates.Where(c => c.Rank != bestRank))
        {
            context.Ignore(other.Located.Label, $"superseded by {first.Located.Label} (LOINC {GestationalAgeCodes[bestRank]} is preferred for {fact})");
        }

        return (firstValue, first.ValuePath);
    }

    private static (double Value, string Element)? LatestOnSessionDate(List<Candidate> candidates, MappingContext context)
    {
        var onTheDay = new List<(Candidate Candidate, DateTimeOffset Start, DateTimeOffset End)>();
        foreach (var candidate in candidates)
        {
            var range = candidate.Observation.Effective switch
            {
                FhirDateTime dateTime => FhirDates.Range(dateTime, context.Zone),
                Instant instant => FhirDates.Range(instant),
                Period { EndElement: { } periodEnd } => FhirDates.Range(periodEnd, context.Zone),
                Period { StartElement: { } periodStart } => FhirDates.Range(periodStart, context.Zone),
                _ => null,
            };
            if (range is not var (start, end))
            {
                context.Ignore(candidate.Located.Label, "has no readable effective time: cannot tell whether it was taken on the session date");
                continue;
            }

            var firstDate = FhirDates.LocalDate(start, context.Zone);
            var lastDate = FhirDates.LocalDate(end.AddTicks(-1), context.Zone);
            if (firstDate <= context.AsOfDate && context.AsOfDate <= lastDate && firstDate != lastDate)
            {
                // A month, a year or a period across midnight: it may or may not have been taken on the day.
                context.Ignore(candidate.Located.Label, $"its effective time spans {MappingContext.Format(firstDate)} to {MappingContext.Format(lastDate)}: cannot tell whether it was taken on the session date ({context.AsOfText}); the therapist's own check at the session covers it");
            }
            else if (firstDate != context.AsOfDate || lastDate != context.AsOfDate)
            {
                context.Ignore(candidate.Located.Label, $"not taken on the session date ({context.AsOfText})");
            }
            else if (start > context.Session.ScheduledAt)
            {
                context.Ignore(candidate.Located.Label, "taken after the session time");
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
        var value = ObservationValues.TemperatureCelsius(latest.Candidate.Observation.Value);
        if (!value.IsRead)
        {
            context.Reject(latest.Candidate.ValuePath, "body temperature " + value.Problem);
            return null;
        }

        foreach (var (other, start, end) in ordered.Skip(1))
        {
            var sameTime = start == latest.Start && end == latest.End;
            var otherValue = ObservationValues.TemperatureCelsius(other.Observation.Value);
            if (sameTime && (!otherValue.IsRead || otherValue.Value != value.Value))
            {
                context.Reject(other.ValuePath, $"body temperature conflicts with {latest.Candidate.Located.Label}, taken at the same time: the check cannot tell which is right");
            }
            else
            {
                context.Ignore(other.Located.Label, $"not the latest temperature on the session date ({latest.Candidate.Located.Label} is)");
            }
        }

        return (value.Value, latest.Candidate.ValuePath);
    }

    private sealed record Candidate(LocatedResource Located, Observation Observation, int Rank)
    {
        /// <summary>The value element: <c>Observation/ga.valueQuantity</c>.</summary>
        public string ValuePath => Observation.Value switch
        {
            Quantity => Located.Label + ".valueQuantity",
            FhirString => Located.Label + ".valueString",
            _ => Located.Label + ".value[x]",
        };
    }
}
