using System.Globalization;

namespace SafetyCheck.Core.Rules;

/// <summary>
/// Finds the number literals written in a rule expression, with where each starts, so that a finding about a
/// constant of the parsed expression can point at its digits. String literals and identifiers are skipped
/// (<c>"P07.3"</c> and <c>pretermAbdomenPmaWeeks40</c> hold no number literal); a sign is not part of the literal.
/// </summary>
internal static class ExpressionNumbers
{
    /// <summary>Every number literal in <paramref name="expression"/>, in text order: 0-based index and value.</summary>
    public static IReadOnlyList<(int Index, double Value)> Find(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var numbers = new List<(int, double)>();
        int i = 0;
        while (i < expression.Length)
        {
            char c = expression[i];
            if (c is '"' or '\'')
            {
                i = SkipString(expression, i);
            }
            else if (char.IsLetter(c) || c is '_' or '@')
            {
                while (i < expression.Length && (char.IsLetterOrDigit(expression[i]) || expression[i] == '_'))
                {
                    i++;
                }
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < expression.Length && char.IsAsciiDigit(expression[i + 1])))
            {
                int start = i;
                i = SkipNumber(expression, i, out int end);
                if (double.TryParse(expression.AsSpan(start, end - start), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                {
                    numbers.Add((start, value));
                }
            }
            else
            {
                i++;
            }
        }

        return numbers;
    }

    /// <summary>Past the closing quote of the string starting at <paramref name="start"/> (backslash escapes skipped).</summary>
    private static int SkipString(string text, int start)
    {
        char quote = text[start];
        int i = start + 1;
        while (i < text.Length && text[i] != quote)
        {
            i += text[i] == '\\' ? 2 : 1;
        }

        return Math.Min(i + 1, text.Length);
    }

    /// <summary>Past the number at <paramref name="start"/> and any type suffix; <paramref name="end"/> ends its digits.</summary>
    private static int SkipNumber(string text, int start, out int end)
    {
        int i = start;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
        {
            i++;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            int exponent = i + 1;
            if (exponent < text.Length && text[exponent] is '+' or '-')
            {
                exponent++;
            }

            if (exponent < text.Length && char.IsAsciiDigit(text[exponent]))
            {
                i = exponent;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
            }
        }

        end = i;
        while (i < text.Length && char.IsAsciiLetter(text[i]))
        {
            i++;
        }

        return i;
    }
}
