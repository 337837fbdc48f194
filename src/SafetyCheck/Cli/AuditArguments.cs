using System.Globalization;
using SafetyCheck.Audit;
using SafetyCheck.Audit.Records;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.Cli;

/// <summary>Reads the values of the <c>audit</c> verbs' options; a bad value is an <see cref="AuditUsageException"/> (exit 2).</summary>
internal static class AuditArguments
{
    /// <summary>
    /// An instant: a date <c>YYYY-MM-DD</c> (midnight UTC) or an RFC 3339 time (<c>2026-03-02T10:00:00Z</c>, or with an
    /// offset); null when not given.
    /// </summary>
    public static DateTimeOffset? Time(string option, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        if (Rfc3339Time.TryParse(value, out var instant))
        {
            return instant.ToUniversalTime();
        }

        throw new AuditUsageException($"{option}: '{value}' is not a date (YYYY-MM-DD, midnight UTC) or an RFC 3339 time (2026-03-02T10:00:00Z)");
    }

    /// <summary>A verdict by its contract name (case-insensitive), e.g. <c>NOT_SUITABLE</c>; null when not given.</summary>
    public static Suitability? Verdict(string option, string? value)
    {
        if (value is null)
        {
            return null;
        }

        return EnumNames.TryParse<Suitability>(value.ToUpperInvariant(), out var verdict)
            ? verdict
            : throw new AuditUsageException($"{option}: '{value}' is not a verdict; one of {string.Join(", ", EnumNames.All<Suitability>())}");
    }

    /// <summary>A rule revision: 64 lowercase hex digits (upper case is accepted and lowered); null when not given.</summary>
    public static string? Revision(string option, string? value)
    {
        if (value is null)
        {
            return null;
        }

        var revision = value.ToLowerInvariant();
        return DecisionFilterReader.IsRevision(revision)
            ? revision
            : throw new AuditUsageException($"{option}: '{value}' is not a rule revision (64 hex digits, as in CheckResponse.ruleset.revision)");
    }

    /// <summary>A rule id to filter by, as the rule files spell it; null when not given. Control characters are refused (not echoed).</summary>
    public static string? RuleId(string option, string? value)
    {
        if (value is null)
        {
            return null;
        }

        return ControlCharacters.In(value)
            ? throw new AuditUsageException($"{option}: a rule id {ControlCharacters.Refusal}")
            : value;
    }

    /// <summary>
    /// Why the file at <paramref name="path"/> gave no checkpoint key: a file with no PEM key block in it (the runtime's
    /// own message then speaks of parameters) is told so plainly; a damaged or foreign key keeps the runtime's reason.
    /// </summary>
    public static string NoKeyIn(string path, Exception ex) => ex is ArgumentException
        ? $"{path} holds no ECDSA P-256 key: it has no PEM key block (a -----BEGIN … KEY----- line)"
        : $"{path} holds no ECDSA P-256 key: {ex.Message}";

    /// <summary>A caller's name as recorded; null when not given.</summary>
    public static string? Caller(string option, string? value)
    {
        if (value is null)
        {
            return null;
        }

        return value.Length == 0 || ControlCharacters.In(value)
            ? throw new AuditUsageException($"{option}: a caller's name must not be empty or contain control characters")
            : value;
    }

    /// <summary>A whole number between <paramref name="min"/> and <paramref name="max"/>; <paramref name="fallback"/> when not given.</summary>
    public static int Count(string option, string? value, int fallback, int min, int max)
    {
        if (value is null)
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= min && count <= max
            ? count
            : throw new AuditUsageException($"{option}: '{value}' is not a whole number between {min} and {max}");
    }

    /// <summary>A decision id as Check returned it (a lowercase UUIDv7; upper case is accepted and lowered).</summary>
    public static string DecisionId(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new AuditUsageException("ID: a decision id is required (CheckResponse.decision_id, or the second column of 'audit list')");
        }

        var id = value.Trim().ToLowerInvariant();
        try
        {
            DecisionRecordFactory.ValidateDecisionId(id);
            return id;
        }
        catch (ArgumentException ex)
        {
            throw new AuditUsageException($"ID: '{value}' is not a decision id (a UUIDv7 as returned by Check)", ex);
        }
    }
}
