namespace SafetyCheck.Fhir.Values;

/// <summary>A value read from an Observation, or why it could not be read (then <see cref="Problem"/> is set).</summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <param name="Value">The value; meaningful only when <see cref="Problem"/> is null.</param>
/// <param name="Problem">Why the value could not be read, in words for the caller; null when it was.</param>
internal readonly record struct MeasuredValue<T>(T Value, string? Problem)
    where T : struct
{
    public bool IsRead => Problem is null;

    public static MeasuredValue<T> Read(T value) => new(value, null);

    public static MeasuredValue<T> Unreadable(string problem) => new(default, problem);
}
