namespace SafetyCheck.Core.Requests;

/// <summary>
/// A check request exactly as a caller sent it, before validation. Front ends (gRPC, CLI, rule cases) map their
/// wire format onto this shape without judging it; <see cref="Validation.RequestValidator"/> turns it into a
/// <see cref="Profiles.ChildProfile"/> or a list of field violations. Field paths in violations use the protobuf
/// field names (<c>patient.birth_date</c>, <c>conditions[2].code</c>).
/// </summary>
public sealed record UnvalidatedRequest
{
    public string RequestId { get; init; } = "";

    /// <summary>Null when the request has no patient message.</summary>
    public UnvalidatedPatient? Patient { get; init; }

    public IReadOnlyList<UnvalidatedCondition> Conditions { get; init; } = [];

    /// <summary>Null when the request has no session message.</summary>
    public UnvalidatedSession? Session { get; init; }

    public double? TemperatureCelsius { get; init; }

    public int? MinutesSinceLastFeed { get; init; }

    public bool Explain { get; init; }
}

/// <summary>The patient part of an <see cref="UnvalidatedRequest"/>.</summary>
public sealed record UnvalidatedPatient
{
    public string PatientRef { get; init; } = "";

    public string BirthDate { get; init; } = "";

    /// <summary>Null when not sent.</summary>
    public (int Weeks, int Days)? GestationalAgeAtBirth { get; init; }

    public int? BirthWeightGrams { get; init; }
}

/// <summary>One coded condition of an <see cref="UnvalidatedRequest"/>. Enum values are the wire numbers.</summary>
public sealed record UnvalidatedCondition
{
    public string System { get; init; } = "";

    public string Code { get; init; } = "";

    public string Display { get; init; } = "";

    /// <summary>Wire value of ConditionStatus (0 unspecified = active).</summary>
    public int Status { get; init; }

    public string OnsetDate { get; init; } = "";

    /// <summary>Wire value of BodyArea (0 = not given).</summary>
    public int BodySite { get; init; }
}

/// <summary>The planned session of an <see cref="UnvalidatedRequest"/>. Enum values are the wire numbers.</summary>
public sealed record UnvalidatedSession
{
    /// <summary>Seconds since the Unix epoch of <c>scheduled_at</c>; null when not sent.</summary>
    public long? ScheduledAtSeconds { get; init; }

    /// <summary>Nanoseconds of <c>scheduled_at</c>.</summary>
    public int ScheduledAtNanos { get; init; }

    public string TimeZone { get; init; } = "";

    public int Setting { get; init; }

    public int Pressure { get; init; }

    public bool MedicalRelease { get; init; }

    public IReadOnlyList<int> Areas { get; init; } = [];
}
