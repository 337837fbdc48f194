using System.Globalization;
using System.Text.RegularExpressions;

namespace SafetyCheck.Core.Domain;

/// <summary>
/// An RFC 3339 date-time as people type it into rule cases, command lines and CDS Hooks feedback:
/// <c>2026-03-02T10:00:00Z</c>, with optional fractional seconds and <c>Z</c> or a <c>+hh:mm</c>/<c>-hh:mm</c> offset.
/// .NET's own parser also reads forms RFC 3339 does not have (<c>Mon, 02 Mar 2026 10:05:31 GMT</c>, a missing offset
/// read as local or UTC, a space before the <c>Z</c>), so the text is matched against the RFC's grammar first.
/// </summary>
public static partial class Rfc3339Time
{
    /// <summary>Reads <paramref name="text"/> when it is an RFC 3339 date-time; false otherwise (also for a date that does not exist).</summary>
    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        return text is not null
            && Grammar().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Grammar();
}
