using Hl7.Fhir.Model;
using SafetyCheck.Core.Domain;
using SafetyCheck.Fhir.Input;
using SafetyCheck.Fhir.Mapping;

namespace SafetyCheck.Fhir.Tests.Support;

/// <summary>Synthetic FHIR resources for unit tests, built as SDK objects.</summary>
public static class Build
{
    public const string PatientId = "synthetic-t001";

    /// <summary>The session most tests use: 2026-03-02 10:00 UTC (Europe/London is on UTC then).</summary>
    public static FhirSession Session { get; } = new()
    {
        ScheduledAt = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero),
        TimeZone = "Europe/London",
    };

    public static Patient Patient(string? birthDate = "2023-08-25", string id = PatientId) => new() { Id = id, BirthDate = birthDate };

    public static Condition Condition(string id, params (string System, string Code)[] codings)
    {
        var code = new CodeableConcept();
        foreach (var (system, value) in codings)
        {
            code.Coding.Add(new Coding(system, value));
        }

        return new Condition { Id = id, Code = code, Subject = new ResourceReference("Patient/" + PatientId) };
    }

    public static Condition Snomed(string id, string code) => Condition(id, (CodeSystems.SnomedCt, code));

    public static Condition WithClinicalStatus(this Condition condition, string code)
    {
        condition.ClinicalStatus = new CodeableConcept(FhirSystems.ConditionClinical, code);
        return condition;
    }

    public static Condition WithVerificationStatus(this Condition condition, string code)
    {
        condition.VerificationStatus = new CodeableConcept(FhirSystems.ConditionVerification, code);
        return condition;
    }

    public static Condition WithBodySites(this Condition condition, params string[] snomedCodes)
    {
        foreach (var code in snomedCodes)
        {
            condition.BodySite.Add(new CodeableConcept(CodeSystems.SnomedCt, code));
        }

        return condition;
    }

    public static Observation Observation(string id, string loinc, DataType? value, string? effective = null) => new()
    {
        Id = id,
        Status = ObservationStatus.Final,
        Code = new CodeableConcept(FhirSystems.Loinc, loinc),
        Subject = new ResourceReference("Patient/" + PatientId),
        Value = value,
        Effective = effective is null ? null : new FhirDateTime(effective),
    };

    public static Quantity Ucum(decimal value, string code) => new() { Value = value, System = FhirSystems.Ucum, Code = code, Unit = code };

    public static FhirResourceSet Set(params Resource[] resources)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Collection };
        foreach (var resource in resources)
        {
            bundle.Entry.Add(new Bundle.EntryComponent { Resource = resource });
        }

        return FhirResourceSet.FromBundle(bundle);
    }

    /// <summary>Maps with the shipped catalog and the default session.</summary>
    public static FhirMappingResult Map(FhirSession? session = null, params Resource[] resources) =>
        new FhirRequestMapper(RepositoryFiles.Catalog).Map(Set(resources), session ?? Session);

    public static FhirMapped Mapped(params Resource[] resources)
    {
        var result = Map(null, resources);
        return result as FhirMapped
            ?? throw new Xunit.Sdk.XunitException("expected a request, got: " + string.Join("; ", ((FhirRejected)result).Violations));
    }

    public static FhirRejected Rejected(params Resource[] resources)
    {
        var result = Map(null, resources);
        return result as FhirRejected ?? throw new Xunit.Sdk.XunitException("expected violations, got a request");
    }
}
