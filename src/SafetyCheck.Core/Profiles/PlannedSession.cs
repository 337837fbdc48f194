using SafetyCheck.Core.Domain;

namespace SafetyCheck.Core.Profiles;

/// <summary>The planned session, validated.</summary>
/// <param name="AsOf">The instant ages are computed at: <c>scheduled_at</c>, or the server clock when absent.</param>
/// <param name="TimeZoneId">IANA zone whose calendar date of <paramref name="AsOf"/> ages use; "UTC" by default.</param>
/// <param name="Setting">Where the session takes place; Unspecified when not given.</param>
/// <param name="Pressure">Planned pressure; Unspecified when not given.</param>
/// <param name="MedicalRelease">The care team has released the child for massage.</param>
/// <param name="Areas">Planned areas, in request order, without duplicates.</param>
public sealed record PlannedSession(
    DateTimeOffset AsOf,
    string TimeZoneId,
    Setting Setting,
    Pressure Pressure,
    bool MedicalRelease,
    IReadOnlyList<BodyArea> Areas);
