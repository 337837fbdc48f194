using System.Text;

namespace SafetyCheck.CdsHooks;

/// <summary>GitHub-flavoured Markdown for card details: text from the EHR is escaped so it cannot add links, images or HTML.</summary>
internal static class Markdown
{
    private const string Special = "\\`*_{}[]()<>#+-.!|~";

    /// <summary><paramref name="text"/> as literal text on one line.</summary>
    public static string Escape(string? text)
    {
        var builder = new StringBuilder((text ?? "").Length + 8);
        foreach (var c in text ?? "")
        {
            if (char.IsControl(c))
            {
                builder.Append(' ');
                continue;
            }

            if (Special.Contains(c, StringComparison.Ordinal))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
