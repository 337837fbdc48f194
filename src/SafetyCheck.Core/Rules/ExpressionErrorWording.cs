using System.Globalization;
using System.Linq.Expressions;
using System.Text.RegularExpressions;

namespace SafetyCheck.Core.Rules;

/// <summary>
/// Says what is wrong with an expression in the words of its author rather than of the .NET expression builder. Two
/// mistakes a clinician is likely to make get their own wording: comparing a quantity (a fact that may be unknown) with
/// an operator, which .NET words as "The binary operator GreaterThan is not defined for the types
/// 'SafetyCheck.Core.Facts.Quantity' and 'System.Double'", and a whole-number parameter written with a fraction
/// (<c>2.0</c>), which makes the helper that takes days "not applicable".
/// </summary>
internal static partial class ExpressionErrorWording
{
    private static readonly Dictionary<string, string[]> OperatorTokens = new(StringComparer.Ordinal)
    {
        ["Equal"] = ["==", "="],
        ["NotEqual"] = ["!=", "<>"],
        ["GreaterThan"] = [">"],
        ["GreaterThanOrEqual"] = [">="],
        ["LessThan"] = ["<"],
        ["LessThanOrEqual"] = ["<="],
        ["Add"] = ["+"],
        ["Subtract"] = ["-"],
        ["Multiply"] = ["*"],
        ["Divide"] = ["/"],
        ["Modulo"] = ["%"],
        ["AndAlso"] = ["&&", "and"],
        ["OrElse"] = ["||", "or"],
    };

    /// <summary>
    /// The problem for a binary operator .NET refuses on these operand types, and, when the operator is written once in
    /// <paramref name="expression"/>, the 0-based index of that character; null when the message is of another kind.
    /// </summary>
    public static (string Problem, int? Index)? BinaryOperator(string message, string expression)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(expression);
        var match = BinaryOperatorPattern().Match(message);
        if (!match.Success)
        {
            return null;
        }

        var tokens = OperatorTokens.GetValueOrDefault(match.Groups[1].Value, [match.Groups[1].Value]);
        var (left, right) = (Describe(match.Groups[2].Value), Describe(match.Groups[3].Value));
        var problem = $"'{tokens[0]}' cannot be used between {left} and {right}";
        if (left == "a quantity" || right == "a quantity")
        {
            problem += ": a quantity may be unknown and is not a number; ask .IsUnknown or .IsKnown, or compare with " +
                ".Below(x), .AtLeast(x), .Above(x), .AtMost(x) or .InRange(lo, hi)";
        }

        return (problem, OnlyOccurrence(expression, tokens[0]));
    }

    /// <summary>
    /// A hint for a helper the parser found no overload of, when the expression passes it a parameter whose value is a
    /// whole number written with a fraction (<c>2.0</c>): such a parameter is a decimal in expressions, and the helpers
    /// that count days take whole numbers. Null when no such parameter is used.
    /// </summary>
    public static string? DecimalParameter(string message, string expression, IEnumerable<PolicyParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!message.StartsWith("No applicable method", StringComparison.Ordinal))
        {
            return null;
        }

        var used = parameters
            .Where(p => !p.IsInteger && p.Value == Math.Floor(p.Value) && Regex.IsMatch(expression, $@"\b{Regex.Escape(p.Name)}\b", RegexOptions.CultureInvariant))
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"'{p.Name}' ({p.Value:0.0###})"))
            .ToList();
        return used.Count == 0
            ? null
            : $"; the parameter{(used.Count == 1 ? "" : "s")} {string.Join(", ", used)} in ruleset.json {(used.Count == 1 ? "is a decimal" : "are decimals")}: " +
              "write a whole number without a fraction (2, not 2.0) where a helper takes one";
    }

    /// <summary>
    /// The problem for an operator the parser reads but rules/README.md does not document (<c>* / % ? : ?? &amp; |</c>),
    /// naming it and the operators an expression may use, and, when it is written once in <paramref name="expression"/>
    /// (outside text literals), the 0-based index of that character; null for any other node type.
    /// </summary>
    public static (string Problem, int? Index)? RefusedOperator(ExpressionType type, string? expression)
    {
        (string Written, string Advice, string[] Tokens)? refused = type switch
        {
            ExpressionType.Multiply => ("*", "", ["*"]),
            ExpressionType.Divide => ("/", "", ["/"]),
            ExpressionType.Modulo => ("%", "", ["%", "mod"]),
            ExpressionType.Conditional => ("? :", " (nor iif(...) or np(...), which the parser reads as one; write the cases with && and ||, or as separate rules)", ["?", "iif", "np"]),
            ExpressionType.Coalesce => ("??", "", ["??"]),
            ExpressionType.And => ("&", " (write &&)", ["&"]),
            ExpressionType.Or => ("|", " (write ||)", ["|"]),
            _ => null,
        };
        if (refused is not { } r)
        {
            return null;
        }

        var problem = $"'{r.Written}' is not allowed in a rule expression{r.Advice}: the operators are {ExpressionVocabulary.Operators} and parentheses";
        return (problem, expression is null ? null : OnlyOperator(expression, r.Tokens));
    }

    /// <summary>
    /// The index of the one place <paramref name="expression"/> writes one of <paramref name="tokens"/> as an operator
    /// (not inside a text literal, not part of a longer operator such as <c>&amp;&amp;</c> or <c>?.</c>, a word only as a
    /// whole word); null when it is written more than once or not found.
    /// </summary>
    private static int? OnlyOperator(string expression, string[] tokens)
    {
        int? found = null;
        var i = 0;
        while (i < expression.Length)
        {
            var c = expression[i];
            if (c is '"' or '\'')
            {
                i = ExpressionBounds.SkipString(expression, i);
                continue;
            }

            if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < expression.Length && (char.IsLetterOrDigit(expression[i]) || expression[i] == '_'))
                {
                    i++;
                }

                var word = expression[start..i];
                if (tokens.Contains(word, StringComparer.OrdinalIgnoreCase))
                {
                    if (found is not null)
                    {
                        return null;
                    }

                    found = start;
                }

                continue;
            }

            if (char.IsLetterOrDigit(c) || char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            // A nullable type's '?' (int?(x)), right after its name and before its argument, is not an operator.
            if (c == '?' && i > 0 && char.IsLetterOrDigit(expression[i - 1]) && i + 1 < expression.Length && expression[i + 1] == '(')
            {
                i++;
                continue;
            }

            // The run of operator characters here, read as the parser's longest match would.
            var length = OperatorLength(expression, i);
            if (tokens.Any(t => t.Length == length && string.CompareOrdinal(expression, i, t, 0, length) == 0))
            {
                if (found is not null)
                {
                    return null;
                }

                found = i;
            }

            i += length;
        }

        return found;
    }

    /// <summary>The length of the operator token at <paramref name="index"/>: two characters for <c>&amp;&amp; || ?? ?. == != &lt;= &gt;= &lt;&gt;</c> and the like, else one.</summary>
    private static int OperatorLength(string expression, int index)
    {
        var c = expression[index];
        var next = index + 1 < expression.Length ? expression[index + 1] : '\0';
        return (c, next) switch
        {
            ('&', '&') or ('|', '|') or ('?', '?') or ('?', '.') or ('=', '=') or ('!', '=') or ('<', '=') or ('>', '=')
                or ('<', '>') or ('<', '<') or ('>', '>') or ('=', '>') => 2,
            _ => 1,
        };
    }

    private static string Describe(string typeName) => typeName switch
    {
        "System.Object" => "null",
        "System.Double" or "System.Int32" or "System.Int64" or "System.Decimal" or "System.Single" => "a number",
        "System.String" => "text",
        "System.Boolean" => "a bool",
        _ when typeName.EndsWith(".Quantity", StringComparison.Ordinal) => "a quantity",
        _ when typeName.StartsWith("System.Nullable`1[", StringComparison.Ordinal) => "a number",
        _ => $"a {typeName[(typeName.LastIndexOf('.') + 1)..]}",
    };

    private static int? OnlyOccurrence(string expression, string token)
    {
        var first = expression.IndexOf(token, StringComparison.Ordinal);
        return first >= 0 && expression.IndexOf(token, first + 1, StringComparison.Ordinal) < 0 ? first : null;
    }

    [GeneratedRegex(@"^The binary operator (\w+) is not defined for the types '([^']+)' and '([^']+)'\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex BinaryOperatorPattern();
}
