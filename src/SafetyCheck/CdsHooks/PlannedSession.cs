using SafetyCheck.Fhir.Mapping;

namespace SafetyCheck.CdsHooks;

/// <summary>One session the hook's draft resources plan: an appointment being booked, or a massage therapy order selected.</summary>
/// <param name="Label">The draft resource, e.g. <c>Appointment/apt1</c>.</param>
/// <param name="Session">The session as the FHIR mapping takes it.</param>
/// <param name="Notes">What of the draft resource was not used, and why.</param>
/// <param name="When">The session's local date and time (<c>2026-03-02 19:30</c>) in the service's time zone, the one its date is decided in.</param>
/// <param name="LocalDate">The session's date in the service's time zone: the date it is decided on.</param>
/// <param name="Unstated">The session details the draft resource did not give (setting, areas, pressure, release), each with what it means for the check.</param>
internal sealed record PlannedSession(string Label, FhirSession Session, IReadOnlyList<IgnoredElement> Notes, string When, DateOnly LocalDate, IReadOnlyList<string> Unstated);
