using System.Text;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// GitHub-flavoured Markdown for card details: text from the EHR is escaped so that it cannot add links, images, HTML,
/// emphasis or table cells, and stays on its line. Characters that are inert where they stand (an underscore inside a
/// word, a dot) are left as they are, so field names and codes read as written.
/// </summary>
internal static class Markdown
{
    private const string Special = "\\`*[]<>!|~";

    /// <summary><paramref name="text"/> as literal text on one line.</summary>
    public static string Escape(string? text)
    {
        var value = text ?? "";
        var builder = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c))
            {
                builder.Append(' ');
                continue;
            }

            // GFM reads an underscore as emphasis only at a word's edge.
            var edgeUnderscore = c == '_' && (i == 0 || i == value.Length - 1 || !char.IsLetterOrDigit(value[i - 1]) || !char.IsLetterOrDigit(value[i + 1]));
            if (Special.Contains(c, StringComparison.Ordinal) || edgeUnderscore)
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
