namespace SafetyCheck.Core.Facts;

/// <summary>
/// Whether the host can resolve IANA time zones, which every age needs (the as_of date is a calendar date in the
/// session's zone). A minimal container without tzdata resolves none but UTC, and every request naming a zone would be
/// refused as if the caller had erred: the service checks at startup instead and refuses to start.
/// </summary>
public static class TimeZoneData
{
    /// <summary>Zones every host with time zone data knows (a northern and a southern one, with daylight saving).</summary>
    private static readonly string[] Probes = ["Europe/London", "Pacific/Auckland"];

    /// <summary>Null when the host resolves IANA zones; otherwise the one-line reason and what to do.</summary>
    public static string? Problem()
    {
        var missing = Probes.Where(id => !TimeZoneInfo.TryFindSystemTimeZoneById(id, out _)).ToArray();
        if (missing.Length == 0)
        {
            return null;
        }

        var where = Environment.GetEnvironmentVariable("TZDIR") is { Length: > 0 } dir ? $"TZDIR={dir}" : "/usr/share/zoneinfo";
        return $"this host has no time zone data ({string.Join(", ", missing)} not found in {where}), so no age can be computed in a session's zone: "
            + "install tzdata (Debian/Ubuntu: apt-get install tzdata; Alpine: apk add tzdata) or point TZDIR at a zoneinfo directory";
    }
}
