using SafetyCheck.Core.Domain;

namespace SafetyCheck.Fhir.Mapping;

/// <summary>
/// The planned session, which FHIR clinical data does not carry: the CLI takes it from its flags, a CDS Hooks
/// service from the hook's context (the appointment or order).
/// </summary>
public sealed record FhirSession
{
    /// <summary>When the session takes place: the time ages are computed at (as_of).</summary>
    public required DateTimeOffset ScheduledAt { get; init; }

    /// <summary>IANA time zone whose calendar date of <see cref="ScheduledAt"/> is the session date; default UTC.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>Where the session takes place; <see cref="Setting.Unspecified"/> when not known.</summary>
    public Setting Setting { get; init; }

    /// <summary>The planned pressure; <see cref="Pressure.Unspecified"/> when not known.</summary>
    public Pressure Pressure { get; init; }

    /// <summary>The child's care team has released the child for massage (NICU, ward).</summary>
    public bool MedicalRelease { get; init; }

    /// <summary>The planned areas; empty when not known.</summary>
    public IReadOnlyList<BodyArea> Areas { get; init; } = [];

    /// <summary>Echoed in the response; at most 64 characters (the check validates it).</summary>
    public string RequestId { get; init; } = "";

    /// <summary>
    /// The id of the Patient the check is for (CDS Hooks <c>context.patientId</c>); null when the input holds one
    /// Patient and that is the child. Other Patients are then reported as ignored.
    /// </summary>
    public string? PatientId { get; init; }

    /// <summary>Ask the check for its per-rule trace.</summary>
    public bool Explain { get; init; }
}
