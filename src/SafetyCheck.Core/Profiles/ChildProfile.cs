namespace SafetyCheck.Core.Profiles;

/// <summary>
/// A validated request: everything the caller said about the child and the session, with every field within its
/// documented bounds. Built only by <see cref="Validation.RequestValidator"/>.
/// </summary>
public sealed record ChildProfile
{
    /// <summary>Echoed back; at most 64 characters; may be empty.</summary>
    public required string RequestId { get; init; }

    /// <summary>Opaque caller id of the patient, at most 128 characters; may be empty. Never stored in clear.</summary>
    public required string PatientRef { get; init; }

    /// <summary>Calendar birth date; not after the as_of date; the child is under 18 at the session.</summary>
    public required DateOnly BirthDate { get; init; }

    /// <summary>Gestational age at birth as sent; null when unknown.</summary>
    public GestationalAge? GestationalAgeAtBirth { get; init; }

    /// <summary>Birth weight in grams, 200–7000; null when unknown.</summary>
    public int? BirthWeightGrams { get; init; }

    /// <summary>Coded conditions in request order, at most 100.</summary>
    public required IReadOnlyList<ProfileCondition> Conditions { get; init; }

    /// <summary>The planned session (defaults filled in).</summary>
    public required PlannedSession Session { get; init; }

    /// <summary>Body temperature in °C, 30.0–45.0, finite; null when not measured.</summary>
    public double? TemperatureCelsius { get; init; }

    /// <summary>Minutes since the last feed, ≥ 0; null when not given.</summary>
    public int? MinutesSinceLastFeed { get; init; }

    /// <summary>Include the per-rule trace in the response.</summary>
    public bool Explain { get; init; }
}
