using Hl7.Fhir.Model;
using SafetyCheck.Fhir.Tests.Support;

namespace SafetyCheck.Fhir.Tests.Mapping;

public sealed class ObservationMapperTests
{
    [Theory]
    [InlineData("76516-4")]
    [InlineData("11884-4")]
    [InlineData("18185-9")]
    public void Map_EachGestationalAgeCode_Read(string loinc)
    {
        // Taken on the birth date: 11884-4 and 18185-9 are read as the gestational age at birth only then.
        var mapped = Build.Mapped(Build.Patient(), Build.Observation("ga", loinc, new FhirString("31+4"), "2023-08-25"));

        Assert.Equal((31, 4), mapped.Request.Patient!.GestationalAgeAtBirth);
    }

    [Fact]
    public void Map_SeveralGestationalAgeCodes_PreferredCodeWinsOthersSuperseded()
    {
        var mapped = Build.Mapped(
            Build.Patient(),
            Build.Observation("generic", "18185-9", Build.Ucum(35, "wk"), "2023-08-25T06:00:00Z"),
            Build.Observation("at-birth", "76516-4", Build.Ucum(250, "d")),
            Build.Observation("estimated", "11884-4", Build.Ucum(36, "wk"), "2023-08-26"));

        Assert.Equal((35, 5), mapped.Request.Patient!.GestationalAgeAtBirth);
        Assert.Equal(["Observation/generic", "Observation/estimated"], mapped.Ignored.Select(i => i.Path));
        Assert.All(mapped.Ignored, i => Assert.Contains("superseded by Observation/at-birth", i.Reason));
    }

    [Fact]
    public void Map_SameCodeSameValueTwice_OneUsedOtherReported()
    {
        var mapped = Build.Mapped(
            Build.Patient(),
            Build.Observation("a", "76516-4", Build.Ucum(38, "wk")),
            Build.Observation("b", "76516-4", new FhirString("38+0")));

        Assert.Equal((38, 0), mapped.Request.Patient!.GestationalAgeAtBirth);
        Assert.Contains("the same gestational age", Assert.Single(mapped.Ignored).Reason);
    }

    [Fact]
    public void Map_SameCodeConflictingValues_Violation()
    {
        var violation = Assert.Single(Build.Rejected(
            Build.Patient(),
            Build.Observation("a", "76516-4", Build.Ucum(38, "wk")),
            Build.Observation("b", "76516-4", new FhirString("36+2"))).Violations);

        Assert.Equal("Observation/b.valueString", violation.Field);
        Assert.Contains("conflicts with Observation/a", violation.Description);
    }

    [Fact]
    public void Map_UnreadableGestationalAge_ViolationOnTheValue()
    {
        var violation = Assert.Single(Build.Rejected(Build.Patient(), Build.Observation("ga", "76516-4", Build.Ucum(8, "mo"))).Violations);

        Assert.Equal("Observation/ga.valueQuantity", violation.Field);
        Assert.StartsWith("gestational age at birth has unit 'mo'", violation.Description);
    }

    [Fact]
    public void Map_GestationalAgeInOtherDigitsNegativeOrHuge_ViolationOnEachValueNotAnException()
    {
        var rejected = Build.Rejected(
            Build.Patient(),
            Build.Observation("text", "76516-4", new FhirString("\u0663\u0660+\u0662")),
            Build.Observation("negative", "76516-4", Build.Ucum(-3, "d")),
            Build.Observation("huge", "76516-4", Build.Ucum(decimal.Parse("7e28", System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture), "wk")));

        Assert.Equal(
            ["Observation/text.valueString", "Observation/negative.valueQuantity", "Observation/huge.valueQuantity"],
            rejected.Violations.Select(v => v.Field));
        Assert.Contains("is not a gestational age", rejected.Violations[0].Description);
        Assert.Equal("gestational age at birth is out of range", rejected.Violations[1].Description);
        Assert.Equal("gestational age at birth is out of range", rejected.Violations[2].Description);
    }

    [Theory]
    [InlineData("2.95", "kg", 2950)]
    [InlineData("6.5", "[lb_av]", 2948)]
    [InlineData("104", "[oz_av]", 2948)]
    public void Map_BirthWeight_Grams(string value, string unit, int grams)
    {
        var mapped = Build.Mapped(Build.Patient(), Build.Observation("w", "8339-4", Build.Ucum(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), unit)));

        Assert.Equal(grams, mapped.Request.Patient!.BirthWeightGrams);
    }

    [Theory]
    [InlineData(ObservationStatus.EnteredInError, "entered-in-error")]
    [InlineData(ObservationStatus.Cancelled, "cancelled")]
    public void Map_EnteredInErrorOrCancelled_Ignored(ObservationStatus status, string said)
    {
        var observation = Build.Observation("w", "8339-4", Build.Ucum(3000, "g"));
        observation.Status = status;

        var mapped = Build.Mapped(Build.Patient(), observation);

        Assert.Null(mapped.Request.Patient!.BirthWeightGrams);
        Assert.Equal("status is " + said, Assert.Single(mapped.Ignored).Reason);
    }

    [Theory]
    [InlineData(ObservationStatus.Preliminary)]
    [InlineData(ObservationStatus.Amended)]
    [InlineData(ObservationStatus.Corrected)]
    public void Map_OtherStatuses_Used(ObservationStatus status)
    {
        var observation = Build.Observation("w", "8339-4", Build.Ucum(3000, "g"));
        observation.Status = status;

        Assert.Equal(3000, Build.Mapped(Build.Patient(), observation).Request.Patient!.BirthWeightGrams);
    }

    [Fact]
    public void Map_NoSubjectOrAnotherSubject_Ignored()
    {
        var none = Build.Observation("none", "8339-4", Build.Ucum(3000, "g"));
        none.Subject = null!;
        var other = Build.Observation("other", "8339-4", Build.Ucum(3000, "g"));
        other.Subject = new ResourceReference("Patient/someone-else");

        var mapped = Build.Mapped(Build.Patient(), none, other);

        Assert.Null(mapped.Request.Patient!.BirthWeightGrams);
        Assert.Contains("cannot tell whose", mapped.Ignored[0].Reason);
        Assert.Contains("not the Patient", mapped.Ignored[1].Reason);
        Assert.DoesNotContain("someone-else", mapped.Ignored[1].Reason);
    }

    [Fact]
    public void Map_OtherCodesAndNoValue_Ignored()
    {
        var empty = Build.Observation("empty", "8339-4", null);
        empty.DataAbsentReason = new CodeableConcept { Text = "not measured" };

        var mapped = Build.Mapped(Build.Patient(), Build.Observation("hr", "8867-4", Build.Ucum(120, "/min")), empty);

        Assert.Contains("not one the check uses", mapped.Ignored[0].Reason);
        Assert.Equal("has no value (not measured)", mapped.Ignored[1].Reason);
    }

    [Fact]
    public void Map_Temperatures_LatestOnTheSessionDateNotAfterTheSession()
    {
        var mapped = Build.Mapped(
            Build.Patient(),
            Build.Observation("yesterday", "8310-5", Build.Ucum(39.5m, "Cel"), "2026-03-01T18:00:00Z"),
            Build.Observation("early", "8310-5", Build.Ucum(38.4m, "Cel"), "2026-03-02T07:00:00Z"),
            Build.Observation("latest", "8310-5", Build.Ucum(98.6m, "[degF]"), "2026-03-02T09:30:00+00:00"),
            Build.Observation("later", "8310-5", Build.Ucum(39.0m, "Cel"), "2026-03-02T11:00:00Z"),
            Build.Observation("day-only", "8310-5", Build.Ucum(38.9m, "Cel"), "2026-03-02"));

        Assert.Equal(37.0, mapped.Request.TemperatureCelsius);
        Assert.Equal(
            ["Observation/yesterday: not taken on the session date (2026-03-02)", "Observation/later: taken after the session time",
             "Observation/early: not the latest temperature on the session date (Observation/latest is)",
             "Observation/day-only: not the latest temperature on the session date (Observation/latest is)"],
            mapped.Ignored.Select(i => i.ToString()));
    }

    [Fact]
    public void Map_TemperatureNearMidnight_SessionDateIsInTheSessionZone()
    {
        // 2026-03-02 in Auckland (UTC+13) runs from 2026-03-01T11:00Z; the session is at 09:00 local time.
        var session = Build.Session with { ScheduledAt = new DateTimeOffset(2026, 3, 1, 20, 0, 0, TimeSpan.Zero), TimeZone = "Pacific/Auckland" };
        var result = Build.Map(
            session,
            Build.Patient(),
            Build.Observation("local-morning", "8310-5", Build.Ucum(38.2m, "Cel"), "2026-03-01T19:00:00Z"),
            Build.Observation("local-yesterday", "8310-5", Build.Ucum(36.6m, "Cel"), "2026-03-01T10:30:00Z"));

        var mapped = Assert.IsType<Fhir.Mapping.FhirMapped>(result);
        Assert.Equal(38.2, mapped.Request.TemperatureCelsius);
        Assert.Equal("Observation/local-yesterday", Assert.Single(mapped.Ignored).Path);
    }

    [Fact]
    public void Map_TwoTemperaturesAtTheSameTimeDisagree_Violation()
    {
        var violation = Assert.Single(Build.Rejected(
            Build.Patient(),
            Build.Observation("a", "8310-5", Build.Ucum(36.8m, "Cel"), "2026-03-02T08:00:00Z"),
            Build.Observation("b", "8310-5", Build.Ucum(38.8m, "Cel"), "2026-03-02T08:00:00Z")).Violations);

        Assert.Contains("taken at the same time", violation.Description);
    }

    [Fact]
    public void Map_TemperatureInKelvin_ViolationOnTheValue()
    {
        var violation = Assert.Single(Build.Rejected(
            Build.Patient(),
            Build.Observation("t", "8310-5", Build.Ucum(310, "K"), "2026-03-02T08:00:00Z")).Violations);

        Assert.Equal("Observation/t.valueQuantity", violation.Field);
    }

    [Fact]
    public void Map_TemperatureWithoutTime_Ignored()
    {
        var mapped = Build.Mapped(Build.Patient(), Build.Observation("t", "8310-5", Build.Ucum(38.8m, "Cel")));

        Assert.Null(mapped.Request.TemperatureCelsius);
        Assert.Contains("no readable effective time", Assert.Single(mapped.Ignored).Reason);
    }

    [Theory]
    [InlineData("2026-03", "2026-03-01 to 2026-03-31")]
    [InlineData("2026", "2026-01-01 to 2026-12-31")]
    public void Map_TemperatureWhoseDateSpansTheSessionDate_IgnoredAsUndecidable(string effective, string span)
    {
        var mapped = Build.Mapped(Build.Patient(), Build.Observation("t", "8310-5", Build.Ucum(39.0m, "Cel"), effective));

        Assert.Null(mapped.Request.TemperatureCelsius);
        Assert.Equal(
            $"Observation/t: its effective time spans {span}: cannot tell whether it was taken on the session date (2026-03-02); the therapist's own check at the session covers it",
            Assert.Single(mapped.Ignored).ToString());
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    [InlineData("9999-12-31T23:59:59.9999999+14:00")]
    public void Map_TemperatureInstantAtTheEndOfTheCalendar_NotOnTheSessionDate(string instant)
    {
        var observation = Build.Observation("t", "8310-5", Build.Ucum(38.8m, "Cel"));
        observation.Effective = new Instant(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture));

        var mapped = Build.Mapped(Build.Patient(), observation);

        Assert.Null(mapped.Request.TemperatureCelsius);
        Assert.Equal("Observation/t: not taken on the session date (2026-03-02)", Assert.Single(mapped.Ignored).ToString());
    }

    [Fact]
    public void Map_GestationalAgeTakenWeeksAfterBirth_RefusedNamingItsEffectiveTime()
    {
        // A NICU flowsheet's current gestational age (36 weeks, 36 days after a birth at about 31 weeks) is not the
        // gestational age at birth: read as one, the baby would look moderately preterm and the abdomen allowed.
        var violation = Assert.Single(Build.Rejected(
            Build.Patient("2026-01-20"),
            Build.Observation("ga", "18185-9", Build.Ucum(36, "wk"), "2026-02-25")).Violations);

        Assert.Equal("Observation/ga.effectiveDateTime", violation.Field);
        Assert.Contains("LOINC 18185-9 (gestational age) was taken on 2026-02-25, 36 days after the birth date (2026-01-20)", violation.Description);
        Assert.Contains("send LOINC 76516-4 (gestational age at birth), or give it an effective date on the birth date", violation.Description);
    }

    [Theory]
    [InlineData("11884-4", null, "Observation/ga.effective[x]", "has no readable effective time")]
    [InlineData("18185-9", "2026-01", "Observation/ga.effectiveDateTime", "was taken between 2026-01-01 and 2026-01-31")]
    [InlineData("11884-4", "2026-01-18", "Observation/ga.effectiveDateTime", "2 days before the birth date")]
    public void Map_GestationalAgeNotKnownToBeAtBirth_Refused(string loinc, string? effective, string field, string said)
    {
        var violation = Assert.Single(Build.Rejected(
            Build.Patient("2026-01-20"),
            Build.Observation("ga", loinc, Build.Ucum(36, "wk"), effective)).Violations);

        Assert.Equal(field, violation.Field);
        Assert.Contains(said, violation.Description);
    }

    [Theory]
    [InlineData("2026-01-19T23:00:00Z")]
    [InlineData("2026-01-21")]
    public void Map_GestationalAgeTakenWithinADayOfBirth_Read(string effective)
    {
        var mapped = Build.Mapped(Build.Patient("2026-01-20"), Build.Observation("ga", "11884-4", Build.Ucum(31, "wk"), effective));

        Assert.Equal((31, 0), mapped.Request.Patient!.GestationalAgeAtBirth);
    }

    [Fact]
    public void Map_GestationalAgeAtBirthWhateverItsDate_LaterFlowsheetValuesReported()
    {
        var mapped = Build.Mapped(
            Build.Patient("2026-01-20"),
            Build.Observation("at-birth", "76516-4", Build.Ucum(31, "wk"), "2026-02-01"),
            Build.Observation("flowsheet", "18185-9", Build.Ucum(36, "wk"), "2026-02-25"));

        Assert.Equal((31, 0), mapped.Request.Patient!.GestationalAgeAtBirth);
        var note = Assert.Single(mapped.Ignored);
        Assert.Equal("Observation/flowsheet", note.Path);
        Assert.Contains("not at birth (the gestational age at birth is read from Observation/at-birth)", note.Reason);
    }

    [Fact]
    public void Map_GestationalAgeInAComponent_Read()
    {
        var birth = Build.Observation("birth", "57075-4", null);
        birth.Component.Add(new Observation.ComponentComponent { Code = new CodeableConcept(FhirSystems.Loinc, "76516-4"), Value = Build.Ucum(30, "wk") });

        var mapped = Build.Mapped(Build.Patient("2026-01-20"), birth);

        Assert.Equal((30, 0), mapped.Request.Patient!.GestationalAgeAtBirth);
    }

    [Fact]
    public void Map_GestationalAgeWithItsValueInComponentsTheCheckDoesNotRead_RefusedNotUnknown()
    {
        var ga = Build.Observation("ga", "76516-4", null);
        ga.Component.Add(new Observation.ComponentComponent { Code = new CodeableConcept(FhirSystems.Loinc, "49051-6"), Value = Build.Ucum(30, "wk") });
        ga.Component.Add(new Observation.ComponentComponent { Code = new CodeableConcept(FhirSystems.Loinc, "49052-4"), Value = Build.Ucum(2, "d") });

        var violation = Assert.Single(Build.Rejected(Build.Patient("2026-01-20"), ga).Violations);

        Assert.Equal("Observation/ga.value[x]", violation.Field);
        Assert.Contains("http://loinc.org|49051-6, http://loinc.org|49052-4", violation.Description);
        Assert.Contains("send the value as value[x] (valueQuantity in wk or d", violation.Description);
    }

    [Fact]
    public void Map_TemperatureInAVitalSignsPanelComponent_Read()
    {
        var panel = Build.Observation("vitals", "85353-1", null, "2026-03-02T08:00:00Z");
        panel.Component.Add(new Observation.ComponentComponent { Code = new CodeableConcept(FhirSystems.Loinc, "8867-4"), Value = Build.Ucum(150, "/min") });
        panel.Component.Add(new Observation.ComponentComponent { Code = new CodeableConcept(FhirSystems.Loinc, "8310-5"), Value = Build.Ucum(39.2m, "Cel") });

        var mapped = Build.Mapped(Build.Patient(), panel);

        Assert.Equal(39.2, mapped.Request.TemperatureCelsius);
        Assert.Empty(mapped.Ignored);
    }

    [Fact]
    public void Map_PanelTemperatureUnreadable_ViolationNamesTheComponent()
    {
        var panel = Build.Observation("vitals", "85353-1", null, "2026-03-02T08:00:00Z");
        panel.Component.Add(new Observation.ComponentComponent { Code = new CodeableConcept(FhirSystems.Loinc, "8310-5"), Value = Build.Ucum(312, "K") });

        var violation = Assert.Single(Build.Rejected(Build.Patient(), panel).Violations);

        Assert.Equal("Observation/vitals.component[0].valueQuantity", violation.Field);
    }

    [Theory]
    [InlineData("8328-7")]
    [InlineData("8329-5")]
    [InlineData("8331-1")]
    [InlineData("8332-9")]
    [InlineData("8333-7")]
    [InlineData("60834-6")]
    [InlineData("76011-6")]
    public void Map_SiteSpecificBodyTemperatureCodeAlone_Read(string loinc)
    {
        var mapped = Build.Mapped(Build.Patient(), Build.Observation("t", loinc, Build.Ucum(35.8m, "Cel"), "2026-03-02T08:00:00Z"));

        Assert.Equal(35.8, mapped.Request.TemperatureCelsius);
    }

    [Fact]
    public void Map_SkinTemperature_NotBodyTemperature()
    {
        var mapped = Build.Mapped(Build.Patient(), Build.Observation("skin", "39106-0", Build.Ucum(34.0m, "Cel"), "2026-03-02T08:00:00Z"));

        Assert.Null(mapped.Request.TemperatureCelsius);
        Assert.Contains("not one the check uses", Assert.Single(mapped.Ignored).Reason);
    }
}
