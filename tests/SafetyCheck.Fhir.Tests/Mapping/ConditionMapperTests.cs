using Hl7.Fhir.Model;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Requests;
using SafetyCheck.Fhir.Tests.Support;

namespace SafetyCheck.Fhir.Tests.Mapping;

public sealed class ConditionMapperTests
{
    private const string Eczema = "24079001";

    [Theory]
    [InlineData("active", ConditionStatus.Active)]
    [InlineData("recurrence", ConditionStatus.Active)]
    [InlineData("relapse", ConditionStatus.Active)]
    [InlineData("inactive", ConditionStatus.Resolved)]
    [InlineData("remission", ConditionStatus.Resolved)]
    [InlineData("resolved", ConditionStatus.Resolved)]
    public void Map_EachClinicalStatus_ActiveOrResolved(string code, ConditionStatus status)
    {
        var mapped = Build.Mapped(Build.Patient(), Build.Snomed("c1", Eczema).WithClinicalStatus(code));

        Assert.Equal((int)status, Assert.Single(mapped.Request.Conditions).Status);
        Assert.Empty(mapped.Ignored);
    }

    [Fact]
    public void Map_NoClinicalStatus_Active()
    {
        Assert.Equal((int)ConditionStatus.Active, Single(Build.Snomed("c1", Eczema)).Status);
    }

    [Fact]
    public void Map_UnknownClinicalStatusCode_ActiveAndReported()
    {
        var mapped = Build.Mapped(Build.Patient(), Build.Snomed("c1", Eczema).WithClinicalStatus("dormant"));

        Assert.Equal((int)ConditionStatus.Active, Assert.Single(mapped.Request.Conditions).Status);
        Assert.Equal("Condition/c1.clinicalStatus", Assert.Single(mapped.Ignored).Path);
    }

    [Theory]
    [InlineData("unconfirmed", true)]
    [InlineData("provisional", true)]
    [InlineData("differential", true)]
    [InlineData("confirmed", true)]
    [InlineData("refuted", false)]
    [InlineData("entered-in-error", false)]
    public void Map_EachVerificationStatus_RefutedAndEnteredInErrorDropped(string code, bool kept)
    {
        var mapped = Build.Mapped(Build.Patient(), Build.Snomed("c1", Eczema).WithVerificationStatus(code));

        Assert.Equal(kept ? 1 : 0, mapped.Request.Conditions.Count);
        if (!kept)
        {
            var ignored = Assert.Single(mapped.Ignored);
            Assert.Equal("Condition/c1", ignored.Path);
            Assert.Contains(code, ignored.Reason);
        }
    }

    [Theory]
    [InlineData("resolved", "active")]
    [InlineData("active", "resolved")]
    [InlineData("remission", "relapse")]
    public void Map_ClinicalStatusCodingsThatDisagree_ActiveWhateverTheOrderAndReported(string first, string second)
    {
        var condition = Build.Snomed("c1", Eczema);
        condition.ClinicalStatus = new CodeableConcept { Coding = [new(FhirSystems.ConditionClinical, first), new(FhirSystems.ConditionClinical, second)] };

        var mapped = Build.Mapped(Build.Patient(), condition);

        Assert.Equal((int)ConditionStatus.Active, Assert.Single(mapped.Request.Conditions).Status);
        var note = Assert.Single(mapped.Ignored);
        Assert.Equal("Condition/c1.clinicalStatus", note.Path);
        Assert.Contains("disagree", note.Reason);
    }

    [Theory]
    [InlineData("refuted", "confirmed")]
    [InlineData("confirmed", "refuted")]
    [InlineData("entered-in-error", "provisional")]
    public void Map_VerificationCodingsThatDisagree_KeptWhateverTheOrderAndReported(string first, string second)
    {
        var condition = Build.Snomed("c1", Eczema);
        condition.VerificationStatus = new CodeableConcept { Coding = [new(FhirSystems.ConditionVerification, first), new(FhirSystems.ConditionVerification, second)] };

        var mapped = Build.Mapped(Build.Patient(), condition);

        Assert.Single(mapped.Request.Conditions);
        var note = Assert.Single(mapped.Ignored);
        Assert.Equal("Condition/c1.verificationStatus", note.Path);
        Assert.Contains("disagree", note.Reason);
    }

    [Fact]
    public void Map_EveryVerificationCodingRefutedOrEnteredInError_Dropped()
    {
        var condition = Build.Snomed("c1", Eczema);
        condition.VerificationStatus = new CodeableConcept { Coding = [new(FhirSystems.ConditionVerification, "refuted"), new(FhirSystems.ConditionVerification, "entered-in-error")] };

        var mapped = Build.Mapped(Build.Patient(), condition);

        Assert.Empty(mapped.Request.Conditions);
        Assert.Equal("Condition/c1", Assert.Single(mapped.Ignored).Path);
    }

    [Fact]
    public void Map_SubjectIsAnotherPatient_Ignored()
    {
        var condition = Build.Snomed("c1", Eczema);
        condition.Subject = new ResourceReference("https://ehr.example/fhir/Patient/someone-else");

        var mapped = Build.Mapped(Build.Patient(), condition);

        Assert.Empty(mapped.Request.Conditions);
        var reason = Assert.Single(mapped.Ignored).Reason;
        Assert.Contains("not the Patient", reason);
        Assert.DoesNotContain("someone-else", reason);
    }

    [Fact]
    public void Map_SubjectAbsoluteUrlWithHistory_Kept()
    {
        var condition = Build.Snomed("c1", Eczema);
        condition.Subject = new ResourceReference("https://ehr.example/fhir/Patient/synthetic-t001/_history/3");

        Assert.Single(Build.Mapped(Build.Patient(), condition).Request.Conditions);
    }

    [Fact]
    public void Map_NoSubject_Kept()
    {
        var condition = Build.Snomed("c1", Eczema);
        condition.Subject = null!;

        Assert.Single(Build.Mapped(Build.Patient(), condition).Request.Conditions);
    }

    [Theory]
    [InlineData("2025-06-14", "2025-06-14")]
    [InlineData("2025-06", "2025-06-30")]
    [InlineData("2026-03", "2026-03-02")]
    [InlineData("2026-03-02T23:30:00Z", "2026-03-02")]
    [InlineData("2023-05-01", "2023-08-25")]
    public void Map_OnsetDateTime_LatestDateItCanBeUpToTheSessionNotBeforeBirth(string onset, string expected)
    {
        var condition = Build.Snomed("c1", Eczema);
        condition.Onset = new FhirDateTime(onset);

        Assert.Equal(expected, Single(condition).OnsetDate);
    }

    [Fact]
    public void Map_OnsetBeforeBirth_Reported()
    {
        var condition = Build.Snomed("c1", Eczema);
        condition.Onset = new FhirDateTime("2023-05-01");

        var ignored = Assert.Single(Build.Mapped(Build.Patient(), condition).Ignored);

        Assert.Equal("Condition/c1.onsetDateTime", ignored.Path);
        Assert.Contains("counts from the birth date", ignored.Reason);
    }

    [Fact]
    public void Map_OnsetPeriodAndAge_LatestDate()
    {
        var period = Build.Snomed("period", Eczema);
        period.Onset = new Period(new FhirDateTime("2025-01-03"), new FhirDateTime("2025-01-20"));
        var age = Build.Snomed("age", Eczema);
        age.Onset = new Age { Value = 1, Code = "a", System = FhirSystems.Ucum };

        var conditions = Build.Mapped(Build.Patient(), period, age).Request.Conditions;

        Assert.Equal(["2025-01-20", "2025-08-24"], conditions.Select(c => c.OnsetDate));
    }

    [Theory]
    [InlineData("2026-03-03", "2026-03-03")]
    [InlineData("2026-03-03T00:30:00Z", "2026-03-03")]
    [InlineData("2026-04", "2026-04-01")]
    [InlineData("2027", "2027-01-01")]
    public void Map_OnsetDateTimeAfterTheSessionDate_ConditionIgnoredAndReportedNotAnError(string onset, string earliest)
    {
        var condition = Build.Snomed("c1", Eczema);
        condition.Onset = new FhirDateTime(onset);

        var mapped = Build.Mapped(Build.Patient(), condition);

        Assert.Empty(mapped.Request.Conditions);
        var ignored = Assert.Single(mapped.Ignored);
        Assert.Equal("Condition/c1.onsetDateTime", ignored.Path);
        Assert.Equal(
            $"begins after the session date (as_of 2026-03-02): the earliest date it can denote is {earliest}, so the condition is not yet the child's and is not checked",
            ignored.Reason);
    }

    [Theory]
    [InlineData("active")]
    [InlineData("resolved")]
    public void Map_ConditionStartingTheDayAfterTheSession_IgnoredWhateverItsStatus(string status)
    {
        var fever = Build.Condition("fever", (CodeSystems.Icd10Cm, "R50.9")).WithClinicalStatus(status);
        fever.Onset = new FhirDateTime("2026-03-03");

        var mapped = Build.Mapped(Build.Patient(), fever);

        Assert.Empty(mapped.Request.Conditions);
        Assert.Equal("Condition/fever.onsetDateTime", Assert.Single(mapped.Ignored).Path);
    }

    [Fact]
    public void Map_OnsetPeriodOrAgeBeginningAfterTheSession_ConditionsIgnoredWithTheirEarliestDates()
    {
        var period = Build.Snomed("period", Eczema);
        period.Onset = new Period(new FhirDateTime("2026-03-05"), new FhirDateTime("2026-03-09"));
        var age = Build.Snomed("age", Eczema);
        age.Onset = new Age { Value = 3, Code = "a" };

        var mapped = Build.Mapped(Build.Patient(), period, age);

        Assert.Empty(mapped.Request.Conditions);
        Assert.Equal(["Condition/period.onsetPeriod", "Condition/age.onsetAge"], mapped.Ignored.Select(i => i.Path));
        Assert.Contains("the earliest date it can denote is 2026-03-05,", mapped.Ignored[0].Reason);
        Assert.Contains("the earliest date it can denote is 2026-08-25,", mapped.Ignored[1].Reason);
    }

    [Fact]
    public void Map_OnsetThatMayLieOnOrBeforeTheSessionDate_KeptAtTheSessionDate()
    {
        var year = Build.Snomed("year", Eczema);
        year.Onset = new FhirDateTime("2026");
        var period = Build.Snomed("period", Eczema);
        period.Onset = new Period(new FhirDateTime("2026-02-20"), new FhirDateTime("2026-03-09"));
        var openPeriod = Build.Snomed("open-period", Eczema);
        openPeriod.Onset = new Period { StartElement = new FhirDateTime("2026-03-02") };
        var age = Build.Snomed("age", Eczema);
        age.Onset = new Age { Value = 2, Code = "a" };
        var offset = Build.Snomed("offset", Eczema);
        offset.Onset = new FhirDateTime("2026-03-03T00:30:00+01:00");

        var conditions = Build.Mapped(Build.Patient(), year, period, openPeriod, age, offset).Request.Conditions;

        Assert.All(conditions, c => Assert.Equal("2026-03-02", c.OnsetDate));
        Assert.Equal(5, conditions.Count);
    }

    [Fact]
    public void Map_OnsetStringOrFractionalAge_UndatedAndReported()
    {
        var text = Build.Snomed("text", Eczema);
        text.Onset = new FhirString("as a baby");
        var fraction = Build.Snomed("fraction", Eczema);
        fraction.Onset = new Age { Value = 1.5m, Code = "a" };

        var mapped = Build.Mapped(Build.Patient(), text, fraction);

        Assert.All(mapped.Request.Conditions, c => Assert.Equal("", c.OnsetDate));
        Assert.Equal(["Condition/text.onsetString", "Condition/fraction.onsetAge"], mapped.Ignored.Select(i => i.Path));
    }

    [Theory]
    [InlineData("2026-03-02", ConditionStatus.Resolved)]
    [InlineData("2026-02", ConditionStatus.Resolved)]
    [InlineData("2026-03", ConditionStatus.Active)]
    [InlineData("2026-03-03", ConditionStatus.Active)]
    public void Map_AbatementDateTime_ResolvedWhenWhollyOnOrBeforeTheSessionDate(string abatement, ConditionStatus expected)
    {
        var condition = Build.Snomed("c1", Eczema);
        condition.Abatement = new FhirDateTime(abatement);

        // 2026-03 straddles the session date and no clinicalStatus says resolved: the condition stays active.
        Assert.Equal((int)expected, Single(condition).Status);
    }

    [Fact]
    public void Map_AbatementPeriodEndAndAge_Resolved()
    {
        var period = Build.Snomed("period", Eczema);
        period.Abatement = new Period(new FhirDateTime("2025-01-01"), new FhirDateTime("2025-02-01"));
        var age = Build.Snomed("age", Eczema);
        age.Abatement = new Age { Value = 18, Code = "mo" };

        var conditions = Build.Mapped(Build.Patient(), period, age).Request.Conditions;

        Assert.All(conditions, c => Assert.Equal((int)ConditionStatus.Resolved, c.Status));
    }

    [Fact]
    public void Map_AbatementPeriodWithoutEnd_StatusFromClinicalStatusAndReported()
    {
        var condition = Build.Snomed("c1", Eczema);
        condition.Abatement = new Period { StartElement = new FhirDateTime("2025-01-01") };

        var mapped = Build.Mapped(Build.Patient(), condition);

        Assert.Equal((int)ConditionStatus.Active, Assert.Single(mapped.Request.Conditions).Status);
        Assert.Contains("has no end", Assert.Single(mapped.Ignored).Reason);
    }

    [Fact]
    public void Map_ResolvedButAbatementAfterTheSession_StillActiveAtTheSession()
    {
        var condition = Build.Snomed("c1", Eczema).WithClinicalStatus("resolved");
        condition.Abatement = new FhirDateTime("2026-04-01");

        var mapped = Build.Mapped(Build.Patient(), condition);

        Assert.Equal((int)ConditionStatus.Active, Assert.Single(mapped.Request.Conditions).Status);
        Assert.Contains("still active at the session", Assert.Single(mapped.Ignored).Reason);
    }

    [Fact]
    public void Map_ActiveStatusWithPastAbatement_StaysActiveAndReported()
    {
        var condition = Build.Snomed("c1", Eczema).WithClinicalStatus("relapse");
        condition.Abatement = new FhirDateTime("2025-01-01");

        var mapped = Build.Mapped(Build.Patient(), condition);

        Assert.Equal((int)ConditionStatus.Active, Assert.Single(mapped.Request.Conditions).Status);
        Assert.Contains("con-4", Assert.Single(mapped.Ignored).Reason);
    }

    [Fact]
    public void Map_SeveralCodings_RecognisedOneSentOthersReported()
    {
        var condition = Build.Condition("c1", ("http://example.org/local", "ECZ"), (CodeSystems.Icd10Cm, "Q99.9"), (CodeSystems.SnomedCt, Eczema));

        var mapped = Build.Mapped(Build.Patient(), condition);

        var sent = Assert.Single(mapped.Request.Conditions);
        Assert.Equal((CodeSystems.SnomedCt, Eczema), (sent.System, sent.Code));
        Assert.Equal(["Condition/c1.code.coding[0]", "Condition/c1.code.coding[1]"], mapped.Ignored.Select(i => i.Path));
    }

    [Fact]
    public void Map_UnrecognisedSnomedBesideKnownBenignIcd_TheUnrecognisedCodeIsSent()
    {
        // Malignant hypertension (SNOMED CT) is left out of the hypertension row's subtypes; I10 is known-benign.
        var condition = Build.Condition("c1", (CodeSystems.SnomedCt, "70272006"), (CodeSystems.Icd10Cm, "I10"));

        var mapped = Build.Mapped(Build.Patient(), condition);

        var sent = Assert.Single(mapped.Request.Conditions);
        Assert.Equal((CodeSystems.SnomedCt, "70272006"), (sent.System, sent.Code));
        var ignored = Assert.Single(mapped.Ignored);
        Assert.Equal("Condition/c1.code.coding[1]", ignored.Path);
        Assert.StartsWith("recognised as 'hypertension' (known benign)", ignored.Reason);
    }

    [Fact]
    public void Map_ActiveWithoutAnyUsableCoding_ViolationOnTheCode()
    {
        var condition = Build.Condition("c1", ("http://example.org/local", "X"));
        condition.Code!.Text = "Brittle bones";

        var violation = Assert.Single(Build.Rejected(Build.Patient(), condition).Violations);

        Assert.Equal("Condition/c1.code", violation.Field);
        Assert.Equal(
            "has no ICD-10-CM or SNOMED CT coding (sent: system 'http://example.org/local', text 'Brittle bones'; the check reads http://hl7.org/fhir/sid/icd-10-cm and http://snomed.info/sct): the check cannot recognise an active condition it cannot read, and leaving it out could hide what matters",
            violation.Description);
    }

    [Fact]
    public void Map_ResolvedWithoutAnyUsableCoding_Ignored()
    {
        var condition = Build.Condition("c1", ("http://example.org/local", "X")).WithClinicalStatus("resolved");
        condition.Onset = new FhirDateTime("2026-02-20");

        var mapped = Build.Mapped(Build.Patient(), new Encounter { Id = "e1" }, condition);

        Assert.Empty(mapped.Request.Conditions);
        var first = mapped.Ignored[0];
        Assert.Equal("Condition/c1", first.Path);
        Assert.True(first.MayMatter);
        Assert.Contains("it is resolved (its onset is 2026-02-20 at the latest), but the check cannot tell what it was, and a recent one may matter whatever its status: ask the clinician", first.Reason);
        Assert.DoesNotContain("does not need it", first.Reason);
    }

    [Fact]
    public void Map_BodySites_OneConditionPerAreaUnmappedReported()
    {
        var condition = Build.Snomed("c1", Eczema).WithBodySites("53120007", "774007", "39937001");

        var mapped = Build.Mapped(Build.Patient(), condition);

        Assert.Equal([BodyArea.Head, BodyArea.Neck, BodyArea.Arms], mapped.Request.Conditions.Select(c => (BodyArea)c.BodySite));
        Assert.Equal("Condition/c1.bodySite[2]", Assert.Single(mapped.Ignored).Path);
    }

    [Fact]
    public void Map_SeverityAndStage_Reported()
    {
        var condition = Build.Snomed("c1", Eczema);
        condition.Severity = new CodeableConcept(CodeSystems.SnomedCt, "24484000");

        Assert.Equal("Condition/c1.severity", Assert.Single(Build.Mapped(Build.Patient(), condition).Ignored).Path);
    }

    [Theory]
    [InlineData(256, 256)]
    [InlineData(300, 256)]
    public void Map_LongDisplayOutsideTheBasicPlane_KeptToTheValidatorsLimitInWholeCharacters(int characters, int kept)
    {
        // U+1D11E is one character in two UTF-16 units: cutting at 256 units kept 128 characters and could split one.
        var condition = Build.Snomed("c1", Eczema);
        condition.Code!.Coding[0].Display = string.Concat(Enumerable.Repeat("\U0001D11E", characters));

        var display = Single(condition).Display;

        Assert.Equal(kept, display.EnumerateRunes().Count());
        Assert.Equal(kept * 2, display.Length);
    }

    private static UnvalidatedCondition Single(Condition condition) =>
        Assert.Single(Build.Mapped(Build.Patient(), condition).Request.Conditions);

    [Fact]
    public void Map_SameConditionInBothCodeSystems_TheOtherCodingIsNotListed()
    {
        var condition = Build.Condition("c1", (CodeSystems.Icd10Cm, "L20.9"), (CodeSystems.SnomedCt, Eczema));

        var mapped = Build.Mapped(Build.Patient(), condition);

        Assert.Single(mapped.Request.Conditions);
        Assert.Empty(mapped.Ignored);
    }

    [Theory]
    [InlineData("urn:oid:2.16.840.1.113883.6.90", "S52.501A", CodeSystems.Icd10Cm)]
    [InlineData("urn:oid:2.16.840.1.113883.6.96", Eczema, CodeSystems.SnomedCt)]
    public void Map_CodeSystemOid_ReadAsThatSystem(string oid, string code, string system)
    {
        var sent = Single(Build.Condition("c1", (oid, code)).WithBodySites("53120007"));

        Assert.Equal((system, code), (sent.System, sent.Code));
        Assert.Equal((int)BodyArea.Arms, sent.BodySite);
    }

    [Fact]
    public void Map_OnsetRangeOfAges_LatestDateOfItsHighAge()
    {
        var condition = Build.Snomed("c1", Eczema);
        // Born 2023-08-25: aged 1 lasts until the day before the second birthday.
        condition.Onset = new Hl7.Fhir.Model.Range { Low = new Quantity(0, "a", FhirSystems.Ucum), High = new Quantity(1, "a", FhirSystems.Ucum) };

        Assert.Equal("2025-08-24", Single(condition).OnsetDate);
    }

    [Theory]
    [InlineData("recordedDate", "2026-02-20")]
    [InlineData("abatement", "2026-02-25")]
    [InlineData("both", "2026-02-20")]
    public void Map_ResolvedWithoutAReadableOnset_BoundedByItsAbatementOrRecordedDate(string bound, string expected)
    {
        foreach (var onset in new DataType?[] { null, new FhirString("a few weeks ago"), new Hl7.Fhir.Model.Range { Low = new Quantity(2, "a", FhirSystems.Ucum) } })
        {
            var fracture = Build.Condition("c1", (CodeSystems.Icd10Cm, "S52.501A")).WithClinicalStatus("resolved");
            fracture.Onset = onset;
            if (bound is "recordedDate" or "both")
            {
                fracture.RecordedDate = "2026-02-20";
            }

            if (bound is "abatement" or "both")
            {
                fracture.Abatement = new FhirDateTime("2026-02-25");
            }

            var mapped = Build.Mapped(Build.Patient(), fracture);

            var sent = Assert.Single(mapped.Request.Conditions);
            Assert.Equal((int)ConditionStatus.Resolved, sent.Status);
            Assert.Equal(expected, sent.OnsetDate);
            if (onset is not null)
            {
                Assert.Contains(mapped.Ignored, i => i.Reason.Contains($"the onset is taken as {expected}, the latest it can be", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Map_RecordedAfterTheSession_OnsetNotAfterTheSessionDate()
    {
        var condition = Build.Snomed("c1", Eczema);
        condition.RecordedDate = "2026-04-01";

        Assert.Equal("2026-03-02", Single(condition).OnsetDate);
    }

    [Fact]
    public void Map_NoOnsetNoAbatementNoRecordedDate_Undated()
    {
        var condition = Build.Condition("c1", (CodeSystems.Icd10Cm, "S52.501A")).WithClinicalStatus("resolved");

        Assert.Equal("", Single(condition).OnsetDate);
    }
}
