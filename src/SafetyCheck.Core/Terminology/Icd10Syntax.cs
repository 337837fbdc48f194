namespace SafetyCheck.Core.Terminology;

/// <summary>
/// The lexical rules of ICD-10-CM codes and catalog patterns. A code is a letter followed by 2 to 6 letters or
/// digits (3 to 7 characters), optionally written with a dot after the 3-character category (<c>R50.9</c> or
/// <c>R509</c>); letters are case-insensitive. Normalising removes the dot and upper-cases the letters.
/// </summary>
internal static class Icd10Syntax
{
    /// <summary>Shortest normalised code or pattern (a category).</summary>
    public const int MinLength = 3;

    /// <summary>Longest normalised code or pattern (a code with its 7th character).</summary>
    public const int MaxLength = 7;

    /// <summary>The 0-based index a dot may take: right after the 3-character category.</summary>
    private const int DotIndex = 3;

    /// <summary>The pattern character that matches any single character.</summary>
    public const char Wildcard = '?';

    /// <summary>
    /// Normalises an input code into <paramref name="destination"/> (at least <see cref="MaxLength"/> long).
    /// False when the code is not an ICD-10-CM code shape (wrong length, a dot elsewhere than after the
    /// category, a character other than a letter or digit): such a code is never matched, so it stays unrecognised.
    /// </summary>
    public static bool TryNormalizeCode(ReadOnlySpan<char> code, Span<char> destination, out int length)
    {
        length = 0;
        if (code.Length < MinLength || code.Length > MaxLength + 1)
        {
            return false;
        }

        for (int i = 0; i < code.Length; i++)
        {
            char c = code[i];
            if (c == '.' && i == DotIndex && code.Length > DotIndex + 1)
            {
                continue;
            }

            char upper = ToUpperAscii(c);
            if (!IsCodeCharacter(upper) || length == MaxLength)
            {
                return false;
            }

            destination[length++] = upper;
        }

        return length >= MinLength && IsLetter(destination[0]);
    }

    /// <summary>
    /// Parses one pattern as written in the catalog: a code (wildcards allowed) or a range <c>A00-B89</c>
    /// (hyphen or en dash; no wildcards; both ends the same length; start before end).
    /// </summary>
    /// <param name="text">The pattern as written.</param>
    /// <param name="code">The normalised code, or the range start.</param>
    /// <param name="rangeEnd">The normalised range end; null for a single code.</param>
    /// <param name="error">Why the pattern is invalid, for a diagnostic; null on success.</param>
    public static bool TryParsePattern(string text, out string code, out string? rangeEnd, out string? error)
    {
        code = "";
        rangeEnd = null;
        int separator = text.IndexOfAny(['-', '\u2013']);
        if (separator < 0)
        {
            return TryNormalizePattern(text, allowWildcards: true, out code, out error);
        }

        if (text.IndexOfAny(['-', '\u2013'], separator + 1) >= 0)
        {
            error = "a range has exactly one '-' between its start and end";
            return false;
        }

        string startText = text[..separator];
        string endText = text[(separator + 1)..];
        if (!TryNormalizePattern(startText, allowWildcards: false, out string start, out string? startError))
        {
            error = $"range start '{startText}': {startError}";
            return false;
        }

        if (!TryNormalizePattern(endText, allowWildcards: false, out string end, out string? endError))
        {
            error = $"range end '{endText}': {endError}";
            return false;
        }

        if (start.Length != end.Length)
        {
            error = $"range start '{startText}' and end '{endText}' must have the same number of characters";
            return false;
        }

        int order = string.CompareOrdinal(start, end);
        if (order >= 0)
        {
            error = order == 0
                ? "range start and end are the same code; write the code alone"
                : $"range start '{startText}' comes after its end '{endText}'";
            return false;
        }

        code = start;
        rangeEnd = end;
        error = null;
        return true;
    }

    /// <summary>
    /// Normalises a pattern code: an optional single dot after the category, letters, digits and (when allowed)
    /// <c>?</c>, 3 to 7 characters, starting with a letter.
    /// </summary>
    private static bool TryNormalizePattern(string text, bool allowWildcards, out string normalized, out string? error)
    {
        normalized = "";
        if (text.Length == 0)
        {
            error = "the code is empty";
            return false;
        }

        int dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            if (dot != DotIndex || text.IndexOf('.', dot + 1) >= 0)
            {
                error = "a dot may only follow the 3-character category, e.g. 'R50.9'";
                return false;
            }

            if (dot == text.Length - 1)
            {
                error = "nothing follows the dot; write the category without it, e.g. 'R50'";
                return false;
            }
        }

        Span<char> buffer = stackalloc char[text.Length];
        int length = 0;
        foreach (char c in text)
        {
            if (c == '.')
            {
                continue;
            }

            char upper = ToUpperAscii(c);
            if (upper == Wildcard)
            {
                if (!allowWildcards)
                {
                    error = "'?' is not allowed in a range";
                    return false;
                }
            }
            else if (!IsCodeCharacter(upper))
            {
                error = $"character '{c}' is not allowed; use letters, digits and '?'";
                return false;
            }

            buffer[length++] = upper;
        }

        if (length < MinLength || length > MaxLength)
        {
            error = "an ICD-10-CM code has 3 to 7 characters, not counting the dot";
            return false;
        }

        if (!IsLetter(buffer[0]))
        {
            error = "an ICD-10-CM code starts with a letter";
            return false;
        }

        normalized = new string(buffer[..length]);
        error = null;
        return true;
    }

    /// <summary>A–Z or 0–9 (upper case only).</summary>
    public static bool IsCodeCharacter(char c) => IsLetter(c) || char.IsAsciiDigit(c);

    /// <summary>A–Z (upper case only).</summary>
    public static bool IsLetter(char c) => c is >= 'A' and <= 'Z';

    /// <summary>Upper-cases ASCII letters only, whatever the culture.</summary>
    public static char ToUpperAscii(char c) => c is >= 'a' and <= 'z' ? (char)(c - ('a' - 'A')) : c;
}
