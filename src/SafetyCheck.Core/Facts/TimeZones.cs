using System.Collections.Concurrent;

namespace SafetyCheck.Core.Facts;

/// <summary>
/// IANA time zones by id, each looked up in the system's time zone data once and kept. Only zones that exist are
/// kept, so the cache is bounded by the zone database (about 600 ids) whatever callers send.
/// </summary>
internal static class TimeZones
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Found = new(StringComparer.Ordinal);

    /// <summary>The zone <paramref name="id"/>; false when the system has no such zone.</summary>
    public static bool TryFind(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        if (Found.TryGetValue(id, out zone))
        {
            return true;
        }

        // On Linux with invariant globalization, IANA ids resolve from tzdata; Windows ids do not resolve (no ICU).
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone))
        {
            return false;
        }

        Found.TryAdd(id, zone);
        return true;
    }
}
