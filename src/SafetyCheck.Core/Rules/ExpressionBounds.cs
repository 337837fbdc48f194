namespace SafetyCheck.Core.Rules;

/// <summary>
/// Refuses, before anything parses it, a rule expression whose parse or tree walk could exhaust the stack. The
/// expression parser recurses about fifteen frames per parenthesis (a few thousand nested parentheses overflow even
/// the main thread's stack, and a stack overflow ends the process: no load error, no refused reload), once per unary
/// operator, and every visitor of the parsed tree recurses once per operator. A stack overflow cannot be caught, so
/// the text is measured first, by one iterative scan that skips string literals as the parser's tokenizer does.
/// </summary>
/// <remarks>
/// The bounds are far above what clinicians write. The shipped rules (rule set 1.6.0, 108 rules), measured with
/// <see cref="Measure"/>: at most 473 characters, parentheses nested 5 deep, 1 unary operator in a row and 17
/// operators. The bounds also keep every tree far from the stack of a thread-pool thread (1.5 MiB on Linux), where a
/// reload vets its candidate: 32 parenthesis levels of the parser take about 160 KB.
/// </remarks>
internal static class ExpressionBounds
{
    /// <summary>Most characters an expression may have (shipped maximum: 473).</summary>
    public const int MaxLength = 2000;

    /// <summary>Deepest nesting of parentheses and brackets (shipped maximum: 5).</summary>
    public const int MaxNesting = 32;

    /// <summary>Most unary operators (<c>- + ! not</c>) written in a row (shipped maximum: 1).</summary>
    public const int MaxUnaryRun = 8;

    /// <summary>Most binary and conditional operators in one expression (shipped maximum: 17).</summary>
    public const int MaxOperators = 256;

    /// <summary>Operators the parser reads from words (its aliases, and <c>in</c>); compared ignoring case, to be safe.</summary>
    private static readonly HashSet<string> OperatorWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "eq", "ne", "neq", "lt", "le", "gt", "ge", "mod", "in",
    };

    /// <summary>
    /// The problems of <paramref name="expression"/> with these bounds, none when it is within all of them. A problem
    /// that concerns one place ends with <c>(at character N of the expression)</c>, where the bound is first passed
    /// (see <see cref="ExpressionErrorPosition"/>).
    /// </summary>
    public static IReadOnlyList<string> Check(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var size = Measure(expression);
        var problems = new List<string>();
        if (size.Length > MaxLength)
        {
            problems.Add($"the expression is {size.Length} characters long; at most {MaxLength} are allowed: split it into several rules");
        }

        if (size.Nesting > MaxNesting)
        {
            var what = expression[size.NestingIndex] == '(' ? "parentheses" : "brackets";
            problems.Add($"the expression nests {what} {size.Nesting} deep; at most {MaxNesting} are allowed: " +
                $"split it into several rules, or remove parentheses that group nothing{At(size.NestingIndex)}");
        }

        if (size.UnaryRun > MaxUnaryRun)
        {
            problems.Add($"the expression writes {size.UnaryRun} signs or negations in a row (-, +, !, not); at most {MaxUnaryRun} are allowed: " +
                $"remove the ones that cancel out{At(size.UnaryRunIndex)}");
        }

        if (size.Operators > MaxOperators)
        {
            problems.Add($"the expression joins {size.Operators} operators (such as ||, &&, <, +); at most {MaxOperators} are allowed: " +
                $"split it into several rules{At(size.OperatorsIndex)}");
        }

        return problems;
    }

    /// <summary>
    /// The size of <paramref name="expression"/> in each bounded respect, with the 0-based index of the character that
    /// first passes each bound (-1 when it is not passed). One pass, no recursion.
    /// </summary>
    public static ExpressionSize Measure(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var size = new ExpressionSize { Length = expression.Length };
        var depth = 0;
        var run = 0;

        // True after an operand (a name, literal or closing bracket): a following - or + is binary, a word may be one.
        var afterOperand = false;
        var afterDot = false;
        var i = 0;
        while (i < expression.Length)
        {
            var c = expression[i];
            var start = i;
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var unary = false;
            var binary = false;
            var dot = false;
            if (c is '"' or '\'')
            {
                i = SkipString(expression, i);
                afterOperand = true;
            }
            else if (char.IsLetter(c) || c is '_' or '@' or '$' or '^' or '~')
            {
                i++;
                while (i < expression.Length && (char.IsLetterOrDigit(expression[i]) || expression[i] == '_'))
                {
                    i++;
                }

                var word = expression[start..i];
                if (!afterDot && afterOperand && OperatorWords.Contains(word))
                {
                    binary = true;
                }
                else if (!afterDot && !afterOperand && word.Equals("not", StringComparison.OrdinalIgnoreCase))
                {
                    unary = true;
                }
                else
                {
                    afterOperand = true;
                }
            }
            else if (char.IsAsciiDigit(c))
            {
                i = SkipNumber(expression, i);
                afterOperand = true;
            }
            else
            {
                var next = i + 1 < expression.Length ? expression[i + 1] : '\0';
                i++;
                switch (c)
                {
                    case '(' or '[' or '{':
                        depth++;
                        if (depth > size.Nesting)
                        {
                            size = size with { Nesting = depth };
                        }

                        if (depth > MaxNesting && size.NestingIndex < 0)
                        {
                            size = size with { NestingIndex = start };
                        }

                        afterOperand = false;
                        break;
                    case ')' or ']' or '}':
                        depth = Math.Max(0, depth - 1);
                        afterOperand = true;
                        break;
                    case '.':
                        dot = true;
                        afterOperand = false;
                        break;
                    case '?' when next == '.':
                        i++;
                        dot = true;
                        afterOperand = false;
                        break;
                    case '!' when next != '=':
                        unary = true;
                        break;
                    case '-' or '+' when !afterOperand:
                        unary = true;
                        break;
                    case '|' or '&' or '?' when next == c:
                    case '=' or '!' or '<' or '>' when next == '=':
                    case '<' when next is '>' or '<':
                    case '>' when next == '>':
                    case '=' when next == '>':
                        i++;
                        binary = true;
                        break;
                    case '|' or '&' or '=' or '<' or '>' or '*' or '/' or '%' or '-' or '+' or '?':
                        binary = true;
                        break;
                    default:
                        // ',' and ':' start an operand; anything else the parser refuses with its own message.
                        afterOperand = false;
                        break;
                }
            }

            if (unary)
            {
                run++;
                if (run > size.UnaryRun)
                {
                    size = size with { UnaryRun = run };
                }

                if (run > MaxUnaryRun && size.UnaryRunIndex < 0)
                {
                    size = size with { UnaryRunIndex = start };
                }

                afterOperand = false;
            }
            else
            {
                run = 0;
            }

            if (binary)
            {
                size = size with { Operators = size.Operators + 1 };
                if (size.Operators > MaxOperators && size.OperatorsIndex < 0)
                {
                    size = size with { OperatorsIndex = start };
                }

                afterOperand = false;
            }

            afterDot = dot;
        }

        return size;
    }

    private static string At(int index) => $" (at character {index + 1} of the expression)";

    /// <summary>
    /// Past the string literal starting at <paramref name="start"/>, as the parser's tokenizer reads one: a backslash
    /// escapes the next character, a doubled quote continues the literal, an unterminated literal runs to the end.
    /// </summary>
    internal static int SkipString(string text, int start)
    {
        var quote = text[start];
        var i = start + 1;
        while (i < text.Length)
        {
            if (text[i] == '\\')
            {
                i += 2;
            }
            else if (text[i] != quote)
            {
                i++;
            }
            else if (i + 1 < text.Length && text[i + 1] == quote)
            {
                i += 2;
            }
            else
            {
                return i + 1;
            }
        }

        return text.Length;
    }

    /// <summary>Past the number at <paramref name="start"/>: digits, a fraction, an exponent with its sign, a suffix.</summary>
    private static int SkipNumber(string text, int start)
    {
        var i = start;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsLetterOrDigit(c) || c == '_'
                || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
                || (c is '+' or '-' && text[i - 1] is 'e' or 'E' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                i++;
            }
            else
            {
                break;
            }
        }

        return i;
    }
}
