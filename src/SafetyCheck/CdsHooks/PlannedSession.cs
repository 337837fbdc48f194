using SafetyCheck.Fhir.Mapping;

namespace SafetyCheck.CdsHooks;

/// <summary>One session the hook's draft resources plan: an appointment being booked, or a massage therapy order selected.</summary>
/// <param name="Label">The draft resource, e.g. <c>Appointment/apt1</c>.</param>
/// <param name="Session">The session as the FHIR mapping takes it.</param>
/// <param name="Notes">What of the draft resource was not used, and why.</param>
internal sealed record PlannedSession(string Label, FhirSession Session, IReadOnlyList<IgnoredElement> Notes);
