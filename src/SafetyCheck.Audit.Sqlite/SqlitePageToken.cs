using System.Globalization;
using System.Text;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.Sqlite;

/// <summary>
/// The page tokens of <see cref="SqliteAuditReader.ListAsync"/>, base64 of text: <c>after:SEQUENCE</c> continues a list in
/// sequence order; <c>before:RECORDED_AT|SEQUENCE</c> continues a list newest first (keyset paging: a page costs the
/// same however deep it is). A token is only valid for the order it was issued for.
/// </summary>
internal static class SqlitePageToken
{
    private const string After = "after:";
    private const string Before = "before:";

    /// <summary>Where a page starts: after <see cref="Sequence"/> (sequence order), or before the pair (newest first; null at the first page).</summary>
    public readonly record struct Position(string? RecordedAt, long Sequence);

    /// <exception cref="ArgumentException">The token is not one this store issued for that order.</exception>
    public static Position Read(string? token, bool newestFirst)
    {
        if (string.IsNullOrEmpty(token))
        {
            return new Position(null, 0);
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw Invalid(token);
        }

        if (!newestFirst && text.StartsWith(After, StringComparison.Ordinal) && TryReadSequence(text.AsSpan(After.Length), out var after))
        {
            return new Position(null, after);
        }

        if (newestFirst && text.StartsWith(Before, StringComparison.Ordinal) && text.IndexOf('|', StringComparison.Ordinal) is var bar and > 0
            && TryReadSequence(text.AsSpan(bar + 1), out var before) && IsAuditTime(text[Before.Length..bar]))
        {
            return new Position(text[Before.Length..bar], before);
        }

        throw Invalid(token);
    }

    /// <summary>The token of the page that follows <paramref name="last"/>, the last entry of a page.</summary>
    public static string Write(StoredEntry last, bool newestFirst)
    {
        var sequence = last.Sequence.ToString(CultureInfo.InvariantCulture);
        var text = newestFirst ? $"{Before}{last.RecordedAt}|{sequence}" : After + sequence;
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
    }

    private static bool TryReadSequence(ReadOnlySpan<char> text, out long sequence) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out sequence);

    private static bool IsAuditTime(string text)
    {
        try
        {
            return text.Length == AuditTime.Length && AuditTime.Write(AuditTime.Read(text)) == text;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static ArgumentException Invalid(string token) =>
        new("The page token is not one this store issued for this order.", nameof(token));
}
