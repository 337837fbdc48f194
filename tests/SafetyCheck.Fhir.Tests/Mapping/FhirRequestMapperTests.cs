using Hl7.Fhir.Model;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Validation;
using SafetyCheck.Fhir.Input;
using SafetyCheck.Fhir.Mapping;
using SafetyCheck.Fhir.Tests.Support;

namespace SafetyCheck.Fhir.Tests.Mapping;

/// <summary>Patients, the session and the request as a whole. Conditions and observations have their own tests.</summary>
public sealed class FhirRequestMapperTests
{
    [Fact]
    public void Map_PatientOnly_RequestWithBirthDateSessionAndPatientRef()
    {
        var session = Build.Session with
        {
            Setting = Setting.Outpatient,
            Pressure = Pressure.Moderate,
            Areas = [BodyArea.Back, BodyArea.Legs],
            MedicalRelease = true,
            RequestId = "r-1",
        };

        var mapped = Assert.IsType<FhirMapped>(Build.Map(session, Build.Patient()));

        var request = mapped.Request;
        Assert.Equal("r-1", request.RequestId);
        Assert.Equal(Build.PatientId, request.Patient!.PatientRef);
        Assert.Equal("2023-08-25", request.Patient.BirthDate);
        Assert.Null(request.Patient.GestationalAgeAtBirth);
        Assert.Null(request.Patient.BirthWeightGrams);
        Assert.Empty(request.Conditions);
        Assert.Equal(session.ScheduledAt.ToUnixTimeSeconds(), request.Session!.ScheduledAtSeconds);
        Assert.Equal("Europe/London", request.Session.TimeZone);
        Assert.Equal((int)Setting.Outpatient, request.Session.Setting);
        Assert.Equal((int)Pressure.Moderate, request.Session.Pressure);
        Assert.True(request.Session.MedicalRelease);
        Assert.Equal([(int)BodyArea.Back, (int)BodyArea.Legs], request.Session.Areas);
        Assert.Empty(mapped.Ignored);
    }

    [Theory]
    [InlineData("2023", "a year only")]
    [InlineData("2023-08", "a year and month only")]
    public void Map_PartialBirthDate_ViolationOnPatientBirthDate(string birthDate, string precision)
    {
        var violation = Assert.Single(Build.Rejected(Build.Patient(birthDate)).Violations);

        Assert.Equal("Patient.birthDate", violation.Field);
        Assert.Contains(precision, violation.Description);
        Assert.Contains("does not guess", violation.Description);
    }

    [Fact]
    public void Map_ContainedConditionOrObservation_ViolationNamingIt_NeverReadPast()
    {
        // A fracture and a fever held inside the Patient: read past, the child would be SUITABLE.
        var patient = Build.Patient();
        patient.Contained.Add(Build.Condition("fracture", (CodeSystems.Icd10Cm, "S42.001A")));
        patient.Contained.Add(Build.Observation("temperature", "8310-5", Build.Ucum(39.0m, "Cel"), "2026-03-02T09:00:00Z"));

        var rejected = Build.Rejected(patient);

        Assert.Equal(
            [$"Patient/{Build.PatientId}.contained[0]", $"Patient/{Build.PatientId}.contained[1]"],
            rejected.Violations.Select(v => v.Field));
        Assert.Contains("contained Condition", rejected.Violations[0].Description);
        Assert.Contains("contained Observation", rejected.Violations[1].Description);
        Assert.All(rejected.Violations, v => Assert.Contains("as a resource of its own", v.Description));
    }

    [Fact]
    public void Map_ContainedResourceOfAnotherType_IsListedAsNotUsed()
    {
        var patient = Build.Patient();
        patient.Contained.Add(new Organization { Id = "gp", Name = "Synthetic Surgery" });

        var mapped = Build.Mapped(patient);

        var ignored = Assert.Single(mapped.Ignored);
        Assert.Equal($"Patient/{Build.PatientId}.contained[0]", ignored.Path);
        Assert.Contains("an Organization, contained, is not used", ignored.Reason);
    }

    [Fact]
    public void Map_ResourceNotUsed_IsNamedWithItsArticle()
    {
        var mapped = Build.Mapped(Build.Patient(), new Encounter { Id = "e1" }, new Organization { Id = "o1" });

        Assert.Equal(
            ["Encounter/e1: an Encounter is not used: the check reads Patient, Condition and Observation",
             "Organization/o1: an Organization is not used: the check reads Patient, Condition and Observation"],
            mapped.Ignored.Select(i => i.ToString()));
    }

    [Fact]
    public void Map_SubjectIsALocalReference_ConditionKeptMeasurementNot()
    {
        // "#pt" names a resource contained somewhere: not known to be another child, not known to be this one.
        var fracture = Build.Condition("fracture", (CodeSystems.Icd10Cm, "S42.001A"));
        fracture.Subject = new ResourceReference("#pt");
        var temperature = Build.Observation("t", "8310-5", Build.Ucum(36.8m, "Cel"), "2026-03-02T09:00:00Z");
        temperature.Subject = new ResourceReference("#pt");

        var mapped = Build.Mapped(Build.Patient(), fracture, temperature);

        Assert.Equal("S42.001A", Assert.Single(mapped.Request.Conditions).Code);
        Assert.Null(mapped.Request.TemperatureCelsius);
        Assert.Equal("Observation/t: its subject does not name the Patient of this check: cannot tell whose it is", Assert.Single(mapped.Ignored).ToString());
    }

    [Fact]
    public void Map_NoBirthDate_ViolationOnPatientBirthDate()
    {
        Assert.Equal("Patient.birthDate", Assert.Single(Build.Rejected(Build.Patient(birthDate: null)).Violations).Field);
    }

    [Fact]
    public void Map_NoPatient_ViolationOnPatient()
    {
        var violation = Assert.Single(Build.Rejected(Build.Snomed("c1", "24079001")).Violations);

        Assert.Equal("Patient", violation.Field);
    }

    [Fact]
    public void Map_TwoDifferentPatients_ViolationNamingBoth()
    {
        var violation = Assert.Single(Build.Rejected(Build.Patient(), Build.Patient(id: "synthetic-t002")).Violations);

        Assert.Equal("Patient", violation.Field);
        Assert.Contains("Patient/synthetic-t001, Patient/synthetic-t002", violation.Description);
    }

    [Fact]
    public void Map_SamePatientTwice_UsedOnceAndReported()
    {
        var mapped = Build.Mapped(Build.Patient(), Build.Patient());

        Assert.Equal("Patient/synthetic-t001", Assert.Single(mapped.Ignored).Path);
    }

    [Fact]
    public void Map_SamePatientTwiceWithDifferentBirthDates_ViolationNamingBoth()
    {
        var session = Build.Session with { PatientId = Build.PatientId };

        var rejected = Assert.IsType<FhirRejected>(Build.Map(session, Build.Patient("2020-05-01"), Build.Patient("2026-02-20")));

        var violation = Assert.Single(rejected.Violations);
        Assert.Equal("Patient.birthDate", violation.Field);
        Assert.Contains("at Bundle.entry[0].resource: 2020-05-01; at Bundle.entry[1].resource: 2026-02-20", violation.Description);
    }

    [Fact]
    public void Map_PatientIdNamed_OtherPatientsAndTheirConditionsIgnored()
    {
        var sibling = Build.Snomed("sibling-eczema", "24079001");
        sibling.Subject = new ResourceReference("Patient/synthetic-t002");
        var session = Build.Session with { PatientId = Build.PatientId };

        var mapped = Assert.IsType<FhirMapped>(Build.Map(session, Build.Patient(id: "synthetic-t002"), Build.Patient(), sibling));

        Assert.Empty(mapped.Request.Conditions);
        Assert.Equal(["Patient/synthetic-t002", "Condition/sibling-eczema"], mapped.Ignored.Select(i => i.Path));
    }

    [Fact]
    public void Map_OtherResourceTypes_Ignored()
    {
        var mapped = Build.Mapped(Build.Patient(), new Encounter { Id = "e1" }, new AllergyIntolerance { Id = "a1" }, new Procedure { Id = "p1" });

        Assert.Equal(["AllergyIntolerance/a1", "Procedure/p1", "Encounter/e1"], mapped.Ignored.Select(i => i.Path));
        Assert.Equal([true, true, false], mapped.Ignored.Select(i => i.MayMatter));
        Assert.Equal(
            "is a Procedure, a record the check does not read (it reads Patient, Condition and Observation): what it records may change the verdict, and the check has not seen it; for the check to count it, it must be sent as a Condition, so ask the clinician about it",
            mapped.Ignored[1].Reason);
        Assert.Contains("not used", mapped.Ignored[2].Reason);
    }

    [Fact]
    public void Map_UnknownTimeZone_ViolationOnTheSessionZone()
    {
        var result = Build.Map(Build.Session with { TimeZone = "Mars/Olympus" }, Build.Patient());

        Assert.Equal("session.time_zone", Assert.Single(Assert.IsType<FhirRejected>(result).Violations).Field);
    }

    [Fact]
    public void Map_SetWithProblems_RejectedWithThem()
    {
        var set = FhirJsonReader.Read("{ nope");

        var result = new FhirRequestMapper(RepositoryFiles.Catalog).Map(set, Build.Session);

        Assert.Equal("$", Assert.Single(Assert.IsType<FhirRejected>(result).Violations).Field);
    }

    [Fact]
    public void Map_SubjectByFullUrl_MatchesThePatientEntry()
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Collection };
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = "urn:uuid:5b0c3c52-2a7e-4a55-9f55-0e6f2d1c9a10", Resource = new Patient { BirthDate = "2024-01-02" } });
        var condition = Build.Snomed("c1", "24079001");
        condition.Subject = new ResourceReference("urn:uuid:5b0c3c52-2a7e-4a55-9f55-0e6f2d1c9a10");
        var weight = Build.Observation("w", "8339-4", Build.Ucum(3100, "g"));
        weight.Subject = new ResourceReference("urn:uuid:5b0c3c52-2a7e-4a55-9f55-0e6f2d1c9a10");
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = condition });
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = weight });

        var result = new FhirRequestMapper(RepositoryFiles.Catalog).Map(FhirResourceSet.FromBundle(bundle), Build.Session);

        var mapped = Assert.IsType<FhirMapped>(result);
        Assert.Single(mapped.Request.Conditions);
        Assert.Equal(3100, mapped.Request.Patient!.BirthWeightGrams);
        Assert.Equal("", mapped.Request.Patient.PatientRef);
    }

    [Theory]
    [InlineData("patient.birth_date", "Patient.birthDate")]
    [InlineData("patient.gestational_age_at_birth.weeks", "Observation/ga.valueQuantity")]
    [InlineData("patient.birth_weight_grams", "Observation/weight.valueQuantity")]
    [InlineData("observations.temperature_celsius", "Observation/temp.valueQuantity")]
    [InlineData("conditions[0].onset_date", "Condition/eczema.onsetDateTime")]
    [InlineData("conditions[0].code", "Condition/eczema.code.coding[1].code")]
    [InlineData("conditions[0]", "Condition/eczema")]
    [InlineData("conditions", "Condition")]
    [InlineData("session.time_zone", "session.time_zone")]
    public void ToFhir_RequestField_NamesTheFhirElement(string field, string element)
    {
        var eczema = Build.Condition("eczema", ("http://example.org/local", "E1"), (CodeSystems.SnomedCt, "24079001"));
        eczema.Onset = new FhirDateTime("2025-06-01");
        var mapped = Build.Mapped(
            Build.Patient(),
            eczema,
            Build.Observation("ga", "76516-4", Build.Ucum(38, "wk")),
            Build.Observation("weight", "8339-4", Build.Ucum(3.2m, "kg")),
            Build.Observation("temp", "8310-5", Build.Ucum(36.8m, "Cel"), "2026-03-02T08:00:00Z"));

        Assert.Equal(element, mapped.ToFhir(new FieldViolation(field, "x")).Field);
    }

    [Theory]
    [InlineData("Immunization")]
    [InlineData("Procedure")]
    [InlineData("MedicationRequest")]
    [InlineData("MedicationStatement")]
    [InlineData("AllergyIntolerance")]
    public void Map_RecordsTheCheckDoesNotRead_ListedFirstSayingTheyMayMatter(string type)
    {
        var record = (Resource)Activator.CreateInstance(typeof(Patient).Assembly.GetType("Hl7.Fhir.Model." + type, throwOnError: true)!)!;
        record.Id = "r1";
        var condition = Build.Snomed("c1", "24079001");
        condition.Severity = new CodeableConcept(Core.Domain.CodeSystems.SnomedCt, "24484000");

        var mapped = Build.Mapped(Build.Patient(), condition, new Encounter { Id = "e1" }, record);

        Assert.Equal([type + "/r1", "Condition/c1.severity", "Encounter/e1"], mapped.Ignored.Select(i => i.Path));
        Assert.StartsWith($"is {(type[0] is 'A' or 'I' ? "an" : "a")} {type}, a record the check does not read", mapped.Ignored[0].Reason);
    }
}
