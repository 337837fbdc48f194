using System.Globalization;
using System.Text.RegularExpressions;

namespace SafetyCheck.Core.Rules;

/// <summary>
/// Reads the position out of an expression problem that names one: <see cref="ExpressionVetter"/> ends a parse
/// error with <c>(at character N of the expression)</c>, N counted from 1 in the expression's text (UTF-16 code
/// units, as the parser counts). The loader turns it into the line and column of that character in the rule file.
/// </summary>
internal static partial class ExpressionErrorPosition
{
    /// <summary>True when <paramref name="problem"/> names a character; <paramref name="index"/> is then its 0-based index.</summary>
    public static bool TryGetIndex(string problem, out int index)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var match = CharacterPattern().Match(problem);
        if (match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var character) && character >= 1)
        {
            index = character - 1;
            return true;
        }

        index = -1;
        return false;
    }

    [GeneratedRegex(@"\(at character (\d{1,9}) of the expression\)$", RegexOptions.CultureInvariant)]
    private static partial Regex CharacterPattern();
}
