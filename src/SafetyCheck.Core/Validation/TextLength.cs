namespace SafetyCheck.Core.Validation;

/// <summary>
/// Lengths of request text as a caller counts them: in characters (Unicode scalar values), so that a character outside
/// the Basic Multilingual Plane, such as an emoji, is one character and not the two UTF-16 units .NET stores it in.
/// </summary>
public static class TextLength
{
    /// <summary>True when <paramref name="text"/> has more than <paramref name="max"/> characters.</summary>
    public static bool Exceeds(string text, int max) => CutIndex(text, max) < text.Length;

    /// <summary>At most the first <paramref name="max"/> characters of <paramref name="text"/>, never half of one.</summary>
    public static string Truncate(string text, int max) => text[..CutIndex(text, max)];

    /// <summary>The UTF-16 index just after the first <paramref name="max"/> characters (the text's length when it has no more).</summary>
    private static int CutIndex(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= max)
        {
            return text.Length;
        }

        var count = 0;
        var end = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (++count > max)
            {
                return end;
            }

            end += rune.Utf16SequenceLength;
        }

        return text.Length;
    }
}
