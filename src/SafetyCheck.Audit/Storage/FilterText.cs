namespace SafetyCheck.Audit.Storage;

/// <summary>
/// Text a reader of the trail sends to select entries: a rule id, a caller, a page token. Whoever reads such text from
/// a request (the Audit service, the auditor's page, the <c>audit</c> verbs) refuses control characters in it before
/// any store sees it, naming the field: no rule id or issued page token holds one, and PostgreSQL refuses NUL in a
/// text parameter outright, which would otherwise fail the query as if the store were down.
/// </summary>
public static class FilterText
{
    /// <summary>What a field is told when it holds a control character, worded like the Check request's identifiers.</summary>
    public const string NoControlCharacters = "must not contain control characters";

    /// <summary>True when <paramref name="text"/> holds a control character (U+0000–U+001F, U+007F–U+009F).</summary>
    public static bool HasControlCharacter(string? text)
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
