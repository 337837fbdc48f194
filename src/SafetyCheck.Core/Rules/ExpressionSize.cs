namespace SafetyCheck.Core.Rules;

/// <summary>
/// How large a rule expression is in each respect <see cref="ExpressionBounds"/> bounds, and where (0-based index in
/// the expression's text, -1 when not passed) each bound is first passed.
/// </summary>
internal readonly record struct ExpressionSize
{
    public ExpressionSize()
    {
    }

    /// <summary>Characters (UTF-16 code units).</summary>
    public int Length { get; init; }

    /// <summary>Deepest nesting of parentheses, brackets and braces.</summary>
    public int Nesting { get; init; }

    /// <summary>Where the nesting first passes <see cref="ExpressionBounds.MaxNesting"/>.</summary>
    public int NestingIndex { get; init; } = -1;

    /// <summary>Longest run of unary operators written in a row.</summary>
    public int UnaryRun { get; init; }

    /// <summary>Where a run first passes <see cref="ExpressionBounds.MaxUnaryRun"/>.</summary>
    public int UnaryRunIndex { get; init; } = -1;

    /// <summary>Binary and conditional operators.</summary>
    public int Operators { get; init; }

    /// <summary>The operator that first passes <see cref="ExpressionBounds.MaxOperators"/>.</summary>
    public int OperatorsIndex { get; init; } = -1;
}
