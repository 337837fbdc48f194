namespace SafetyCheck.Core.Validation;

/// <summary>
/// Identifiers and filters are printable text. A control character (U+0000–U+001F, U+007F–U+009F) in a request's
/// identifiers, an audit reader's filter or page token, or a caller's name is refused with one wording, naming the
/// field: PostgreSQL refuses NUL in a text parameter outright, and nothing the service issues or records holds one.
/// </summary>
public static class ControlCharacters
{
    /// <summary>What a field is told when it holds a control character.</summary>
    public const string Refusal = "must not contain control characters";

    /// <summary>True when <paramref name="text"/> holds a control character.</summary>
    public static bool In(string? text)
    {
        if (text is null)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}
