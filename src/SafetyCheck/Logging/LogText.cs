using System.Text;

namespace SafetyCheck.Logging;

/// <summary>
/// Makes text that a caller influenced (a request path, a status detail, an exception message) safe for a one-line
/// log entry: printable ASCII only, each other character as '?', and at most <see cref="MaxLength"/> characters.
/// </summary>
internal static class LogText
{
    /// <summary>Longest text kept, in characters; longer text ends in "...".</summary>
    public const int MaxLength = 200;

    /// <summary>"call" for 1, else "calls": a count in a log line reads "1 call", "282 calls".</summary>
    public static string Calls(long count) => count == 1 ? "call" : "calls";

    public static string Printable(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var length = Math.Min(text.Length, MaxLength);
        var builder = new StringBuilder(length + 3);
        foreach (var c in text.AsSpan(0, length))
        {
            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return text.Length > MaxLength ? builder.Append("...").ToString() : builder.ToString();
    }
}
