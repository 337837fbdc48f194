using System.Globalization;

namespace SafetyCheck.Audit.Json;

/// <summary>
/// The one timestamp form of the audit trail: RFC 3339 in UTC with exactly seven fractional digits
/// (<c>2026-03-02T10:00:00.0000000Z</c>). Fixed width, so text order is time order in the database, and exact to the
/// 100 ns tick, so a stored instant reads back unchanged.
/// </summary>
public static class AuditTime
{
    /// <summary>Characters (and UTF-8 bytes) of every instant in the audit form.</summary>
    public const int Length = 28;

    /// <summary>The form as a custom format: what <see cref="Read"/> accepts.</summary>
    private const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'";

    /// <summary>
    /// The round-trip format of a UTC <see cref="DateTime"/>: the same text as <see cref="Format"/> for every instant
    /// (four-digit year, seven fractional digits, <c>Z</c>), written by the runtime's fast path rather than by
    /// interpreting a custom pattern (it is written once per record and per decision).
    /// </summary>
    private const string RoundTrip = "O";

    public static string Write(DateTimeOffset instant) => instant.UtcDateTime.ToString(RoundTrip, CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="instant"/> in the audit form as UTF-8 into the first <see cref="Length"/> bytes of <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="Length"/> bytes.</exception>
    public static void Write(DateTimeOffset instant, Span<byte> destination)
    {
        if (!instant.UtcDateTime.TryFormat(destination, out var written, RoundTrip, CultureInfo.InvariantCulture) || written != Length)
        {
            throw new ArgumentException($"An audit instant needs {Length} bytes.", nameof(destination));
        }
    }

    /// <exception cref="FormatException">The text is not in the audit form.</exception>
    public static DateTimeOffset Read(string text) =>
        DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string WriteDate(DateOnly date) => date.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);

    /// <exception cref="FormatException">The text is not a <c>YYYY-MM-DD</c> date.</exception>
    public static DateOnly ReadDate(string text) => DateOnly.ParseExact(text, "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);
}
