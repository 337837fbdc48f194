using System.Globalization;
using SafetyCheck.Audit.Json;

namespace SafetyCheck.AuditPage;

/// <summary>How the pages write times, hashes and verdicts.</summary>
public static class PageText
{
    /// <summary>An audit time (<c>2026-03-02T10:00:00.1234567Z</c>) as <c>2026-03-02 10:00:00</c> (UTC); the text as it is when it is not one.</summary>
    public static string Time(string? auditTime)
    {
        if (auditTime is null)
        {
            return "";
        }

        try
        {
            return AuditTime.Read(auditTime).ToString("yyyy'-'MM'-'dd HH':'mm':'ss", CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            return auditTime;
        }
    }

    /// <summary>An instant as <c>2026-03-02 10:00:00</c> (UTC).</summary>
    public static string Time(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy'-'MM'-'dd HH':'mm':'ss", CultureInfo.InvariantCulture);

    /// <summary>The first 12 hex digits of a hash, as the CLI lists revisions.</summary>
    public static string Abbreviated(string? hash) => hash is { Length: > 12 } ? hash[..12] : hash ?? "";

    /// <summary>The CSS class of a verdict's badge: <c>verdict v-not-suitable</c>.</summary>
    public static string VerdictClass(string? verdict) => "verdict v-" + (verdict ?? "").ToLowerInvariant().Replace('_', '-');

    /// <summary>A count with thousands separators.</summary>
    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
