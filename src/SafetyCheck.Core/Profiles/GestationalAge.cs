namespace SafetyCheck.Core.Profiles;

/// <summary>
/// Gestational age at birth in completed weeks and days (22+0 to 44+6). A known value only: an unknown gestational
/// age is the absence of this struct, never zero.
/// </summary>
public readonly record struct GestationalAge
{
    public GestationalAge(int weeks, int days)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(weeks, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, 6);
        Weeks = weeks;
        Days = days;
    }

    /// <summary>Completed weeks.</summary>
    public int Weeks { get; }

    /// <summary>Days beyond the completed weeks, 0–6.</summary>
    public int Days { get; }

    /// <summary>Total days: weeks × 7 + days.</summary>
    public int TotalDays => (Weeks * 7) + Days;

    public override string ToString() => $"{Weeks}+{Days}";
}
