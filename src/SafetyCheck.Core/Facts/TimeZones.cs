using System.Collections.Concurrent;

namespace SafetyCheck.Core.Facts;

/// <summary>
/// IANA time zones by id, each looked up in the system's time zone data once and kept. Ids are matched exactly, case
/// included, and only zones that exist are kept, so the cache is bounded by the zone database (about 600 ids) whatever
/// callers send.
/// </summary>
/// <remarks>
/// Ids that resolve on a host but name its own configuration rather than a place (<c>localtime</c>,
/// <c>posixrules</c>, <c>Factory</c>, and the <c>posix/</c> and <c>right/</c> copies of the database, which some hosts
/// have and others do not) are not zones here: the same request would get another date, or another answer, on
/// another host.
/// </remarks>
public static class TimeZones
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Found = new(StringComparer.Ordinal);

    /// <summary>The zone <paramref name="id"/>; false when the system has no such zone or the id names a host's setting.</summary>
    public static bool TryFind(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (Found.TryGetValue(id, out zone))
        {
            return true;
        }

        // On Linux with invariant globalization, IANA ids resolve from tzdata; Windows ids do not resolve (no ICU). The id
        // must be the zone's own, case included: .NET finds a zone's file by its exact name but keeps the zones it has
        // loaded in a cache that ignores case, so "america/chicago" would resolve only once "America/Chicago" had been
        // asked for, and the same request would be refused or decided by what the process had seen before.
        if (NamesHostSetting(id) || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone) || !string.Equals(zone.Id, id, StringComparison.Ordinal))
        {
            zone = null;
            return false;
        }

        Found.TryAdd(id, zone);
        return true;
    }

    /// <summary>
    /// What a request's <c>session.time_zone</c> is told when <paramref name="id"/> is not a zone here (one wording for
    /// every transport).
    /// </summary>
    public static string Refusal(string id) => NamesHostSetting(id)
        ? $"'{id}' names a server's own setting, not a place: send the IANA time zone of the session such as Europe/London"
        : SpelledDifferently(id) is { } zone
            ? $"must be an IANA time zone name written as the zone database writes it: '{zone}'"
            : "must be an IANA time zone name such as Europe/London";

    /// <summary>
    /// The zone whose id is <paramref name="id"/> but for the case of its letters ("europe/london"), from the host's
    /// whole list of zones, so the answer does not depend on which zones the process has loaded; null when none is.
    /// Only a refusal asks, so the list is read only then.
    /// </summary>
    private static string? SpelledDifferently(string id)
    {
        if (id.Length is 0 or > 64)
        {
            return null;
        }

        foreach (var zone in TimeZoneInfo.GetSystemTimeZones())
        {
            if (string.Equals(zone.Id, id, StringComparison.OrdinalIgnoreCase) && !string.Equals(zone.Id, id, StringComparison.Ordinal))
            {
                return zone.Id;
            }
        }

        return null;
    }

    /// <summary>True for an id that names a host's time zone setting or its copy of the database rather than a zone.</summary>
    private static bool NamesHostSetting(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.Equals("localtime", StringComparison.OrdinalIgnoreCase)
            || id.Equals("posixrules", StringComparison.OrdinalIgnoreCase)
            || id.Equals("Factory", StringComparison.OrdinalIgnoreCase)
            || id.StartsWith("posix/", StringComparison.OrdinalIgnoreCase)
            || id.StartsWith("right/", StringComparison.OrdinalIgnoreCase);
    }
}
