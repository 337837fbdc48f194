using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Tests.Rules;

/// <summary>The scan that measures an expression's text against the bounds, without parsing it.</summary>
public class ExpressionBoundsTests
{
    private static string Nested(int depth) => new string('(', depth) + "child.AgeDays > 1" + new string(')', depth);

    [Fact]
    public void Check_ThousandsOfParentheses_NamesTheirDepthAndWhereTheBoundIsPassed()
    {
        // The reported crash. Checked without the loader: parsed, it would overflow the stack of the test process.
        const string Before = "child.Has(\"fever\") || ";

        var problems = ExpressionBounds.Check(Before + Nested(3000));

        Assert.Equal(
            [
                $"the expression is {Before.Length + 6017} characters long; at most 2000 are allowed: split it into several rules",
                "the expression nests parentheses 3000 deep; at most 32 are allowed: split it into several rules, " +
                    $"or remove parentheses that group nothing (at character {Before.Length + 33} of the expression)",
            ],
            problems);
    }

    [Fact]
    public void Check_TwentyThousandSigns_NamesTheirCount()
    {
        var problems = ExpressionBounds.Check("child.AgeDays > 1 || " + new string('-', 20000) + "1 > 5");

        Assert.Contains(
            $"the expression writes 20000 signs or negations in a row (-, +, !, not); at most 8 are allowed: remove the ones that cancel out (at character {21 + 9} of the expression)",
            problems);
    }

    [Fact]
    public void Check_ShortExpression_NoProblems() => Assert.Empty(ExpressionBounds.Check("child.Has(\"fever\") && child.AgeDays < 3"));

    [Theory]
    [InlineData("child.Setting == \"((((\"", 0, 0, 1)]
    [InlineData("child.Setting == \"a\\\"((((\"", 0, 0, 1)]
    [InlineData("child.Setting == 'it''s (((( -- !! || &&'", 0, 0, 1)]
    [InlineData("child.Has(\"fever\") && !(child.AgeDays < 3 || child.AgeMonths >= 2)", 1, 1, 4)]
    [InlineData("child.AgeDays > -1 - -2 * +3", 0, 1, 3)]
    [InlineData("child.AgeDays gt 1 and not child.Has(\"a\") or child.AgeDays mod 2 eq 0", 1, 1, 5)]
    [InlineData("child.TemperatureCelsius.AtLeast(38.5e+1) ? child.x.and : child?.or", 1, 0, 1)]
    [InlineData("x[[1]] != {2}", 2, 0, 1)]
    public void Measure_CountsOutsideStringLiterals(string expression, int nesting, int unaryRun, int operators)
    {
        var size = ExpressionBounds.Measure(expression);

        Assert.Equal((expression.Length, nesting, unaryRun, operators), (size.Length, size.Nesting, size.UnaryRun, size.Operators));
        Assert.Equal((-1, -1, -1), (size.NestingIndex, size.UnaryRunIndex, size.OperatorsIndex));
    }

    [Fact]
    public void Measure_UnaryRunsBrokenByAnOperand_CountedApart()
    {
        var size = ExpressionBounds.Measure("!!!!!!(child.AgeDays > 1) && !!!!!!(child.AgeDays > 2)");

        Assert.Equal(6, size.UnaryRun);
    }

    [Fact]
    public void Measure_UnterminatedString_RunsToTheEnd()
    {
        Assert.Equal(0, ExpressionBounds.Measure("child.Setting == \"((((((").Nesting);
    }
}
