using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Tests.Support;

namespace SafetyCheck.Core.Tests.Rules;

/// <summary>
/// Expressions whose parsing could exhaust the stack are refused before they are parsed, as load errors at the
/// expression. Each bound is tested just past it (refused) and at it (loads); nothing here parses an expression deep
/// enough to overflow, with or without the bounds.
/// </summary>
public class DeepExpressionLoadTests
{
    private static RuleSetLoadResult Load(string expression)
    {
        using var dir = TempRuleDirectory.WithRules(Fixtures.Rule("deep", expression));
        return RuleSetLoader.Load(dir.Path);
    }

    /// <summary>The line of <c>"Expression"</c> in <see cref="Fixtures.Rule"/> and the column of the expression's first character.</summary>
    private static (int Line, int Column) ExpressionStart()
    {
        var text = Fixtures.Workflow("fixture", Fixtures.Rule("deep", "x"));
        var lines = text.Split('\n');
        var line = Array.FindIndex(lines, l => l.Contains("\"Expression\"", StringComparison.Ordinal));
        return (line + 1, lines[line].IndexOf("\"x\"", StringComparison.Ordinal) + 2);
    }

    private static void AssertLoads(string expression)
    {
        var result = Load(expression);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
    }

    /// <summary>The one error, at the 0-based <paramref name="index"/> of the expression (null: at the expression's string).</summary>
    private static Diagnostic AssertRefusedAt(string expression, int? index, string problem)
    {
        var result = Load(expression);
        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        var (line, start) = ExpressionStart();
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("rules.json", diagnostic.File);
        Assert.Equal((line, index is { } i ? start + i : start - 1), (diagnostic.Line, diagnostic.Column));
        Assert.StartsWith("rule 'deep': " + problem, diagnostic.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("does not compile", diagnostic.Message, StringComparison.Ordinal);
        return diagnostic;
    }

    private static string Nested(int depth) => new string('(', depth) + "child.AgeDays > 1" + new string(')', depth);

    [Fact]
    public void Load_ParenthesesOnePastTheBound_RefusedAtTheFirstParenthesisTooDeep()
    {
        var diagnostic = AssertRefusedAt(Nested(ExpressionBounds.MaxNesting + 1), ExpressionBounds.MaxNesting,
            $"the expression nests parentheses {ExpressionBounds.MaxNesting + 1} deep; at most {ExpressionBounds.MaxNesting} are allowed: split it into several rules");

        Assert.EndsWith($"(at character {ExpressionBounds.MaxNesting + 1} of the expression)", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ParenthesesAtTheBound_Loads() => AssertLoads(Nested(ExpressionBounds.MaxNesting));

    [Theory]
    [InlineData("child.AgeDays > {0}1", "-", 16)]
    [InlineData("{0}(child.AgeDays > 1)", "!", 0)]
    [InlineData("{0}(child.AgeDays > 1)", "not ", 0)]
    public void Load_UnaryRunOnePastTheBound_RefusedAtTheFirstOperatorTooMany(string template, string unary, int firstSign)
    {
        var expression = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, string.Concat(Enumerable.Repeat(unary, ExpressionBounds.MaxUnaryRun + 1)));

        AssertRefusedAt(expression, firstSign + (ExpressionBounds.MaxUnaryRun * unary.Length),
            $"the expression writes {ExpressionBounds.MaxUnaryRun + 1} signs or negations in a row (-, +, !, not); at most {ExpressionBounds.MaxUnaryRun} are allowed");
    }

    [Theory]
    [InlineData("child.AgeDays > {0}1", "-")]
    [InlineData("{0}(child.AgeDays > 1)", "!")]
    [InlineData("{0}(child.AgeDays > 1)", "not ")]
    public void Load_UnaryRunAtTheBound_Loads(string template, string unary) =>
        AssertLoads(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, string.Concat(Enumerable.Repeat(unary, ExpressionBounds.MaxUnaryRun))));

    /// <summary><c>child.AgeDays &gt; 1 + 1 + …</c> with <paramref name="operators"/> operators in all.</summary>
    private static string Operators(int operators) => "child.AgeDays > 1" + string.Concat(Enumerable.Repeat(" + 1", operators - 1));

    [Fact]
    public void Load_OperatorsOnePastTheBound_RefusedAtTheFirstOperatorTooMany()
    {
        var expression = Operators(ExpressionBounds.MaxOperators + 1);

        AssertRefusedAt(expression, expression.LastIndexOf('+'),
            $"the expression joins {ExpressionBounds.MaxOperators + 1} operators (such as ||, &&, <, +); at most {ExpressionBounds.MaxOperators} are allowed: split it into several rules");
    }

    [Fact]
    public void Load_OperatorsAtTheBound_Loads() => AssertLoads(Operators(ExpressionBounds.MaxOperators));

    [Fact]
    public void Load_LongChainOfOr_RefusedForItsOperators()
    {
        // 1 + 130 * 2 operators; the 257th is the '>' of the 128th "||1>0".
        var expression = "child.AgeDays > 1" + string.Concat(Enumerable.Repeat("||1>0", 130));

        AssertRefusedAt(expression, 17 + (127 * 5) + 3, "the expression joins 261 operators");
    }

    [Fact]
    public void Load_OneCharacterPastTheLength_RefusedAtTheExpression()
    {
        var expression = "child.AgeDays > 1".PadRight(ExpressionBounds.MaxLength + 1);

        var diagnostic = AssertRefusedAt(expression, null,
            $"the expression is {ExpressionBounds.MaxLength + 1} characters long; at most {ExpressionBounds.MaxLength} are allowed: split it into several rules");
        Assert.DoesNotContain("at character", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExactlyTheLength_Loads() => AssertLoads("child.AgeDays > 1".PadRight(ExpressionBounds.MaxLength));

    [Fact]
    public void Load_EveryBoundPassed_EachReported()
    {
        var expression = Nested(40).Replace("> 1", "> " + new string('-', 20) + "1" + string.Concat(Enumerable.Repeat(" + 1", 300)), StringComparison.Ordinal);

        var messages = Load(expression).Diagnostics.Select(d => d.Message).ToList();

        Assert.Equal(3, messages.Count);
        Assert.Contains(messages, m => m.Contains("nests parentheses 40 deep", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("writes 20 signs or negations in a row", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("joins 301 operators", StringComparison.Ordinal));
    }
}
