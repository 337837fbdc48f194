using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Tests.Support;

namespace SafetyCheck.Core.Tests.Rules;

/// <summary>An expression that does not parse is reported at the character the parser stopped at, inside the JSON string.</summary>
public class ExpressionColumnTests
{
    private static Diagnostic LoadError(string expression)
    {
        using var dir = TempRuleDirectory.WithRules(Fixtures.Rule("broken", expression));
        var result = RuleSetLoader.Load(dir.Path);
        return Assert.Single(result.Diagnostics, d => d.Message.Contains("does not compile", StringComparison.Ordinal));
    }

    /// <summary>The line and column of <c>"Expression": "</c>'s first character inside the string in <see cref="Fixtures.Rule"/>.</summary>
    private static (int Line, int Column) ExpressionStart()
    {
        var text = Fixtures.Workflow("fixture", Fixtures.Rule("broken", "x"));
        var lines = text.Split('\n');
        var line = Array.FindIndex(lines, l => l.Contains("\"Expression\"", StringComparison.Ordinal));
        return (line + 1, lines[line].IndexOf("\"x\"", StringComparison.Ordinal) + 2);
    }

    [Fact]
    public void Load_ParseError_PointsAtTheCharacterTheParserNames()
    {
        var diagnostic = LoadError("child.AgeDays < < 3");
        var (line, start) = ExpressionStart();

        var character = int.Parse(System.Text.RegularExpressions.Regex.Match(diagnostic.Message, @"at character (\d+)").Groups[1].Value);
        Assert.Equal(line, diagnostic.Line);
        Assert.Equal(start + character - 1, diagnostic.Column);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
    }

    [Theory]
    [InlineData("child.AgeDays < 1 && child.TemperatureCelsius > 38.0", "'>' cannot be used between a quantity and a number", 47)]
    [InlineData("child.TemperatureCelsius == null", "'==' cannot be used between a quantity and null", 26)]
    public void Load_OperatorOnAQuantity_SaysSoInTheAuthorsWords_AtTheOperatorWrittenOnce(string expression, string problem, int character)
    {
        var diagnostic = LoadError(expression);
        var (line, start) = ExpressionStart();

        Assert.Contains(problem, diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("ask .IsUnknown or .IsKnown", diagnostic.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SafetyCheck.Core", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(line, diagnostic.Line);
        Assert.Equal(start + character - 1, diagnostic.Column);
    }

    [Fact]
    public void Load_OperatorOnAQuantityWrittenTwice_ReportedAtTheExpression()
    {
        var diagnostic = LoadError("child.AgeDays > 1 && child.TemperatureCelsius > 38.0 || child.AgeDays > 2 && child.BirthWeightGrams > 3");
        var (line, start) = ExpressionStart();

        Assert.Contains("cannot be used between a quantity and a number", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal((line, start - 1), (diagnostic.Line, diagnostic.Column));
    }

    [Fact]
    public void Load_WholeNumberParameterWrittenWithAFraction_NamesTheParameter()
    {
        using var dir = TempRuleDirectory.WithRules(
            Fixtures.Rule("broken", "child.HasWithinDays(\"immunisation\", deferralDays)", conditions: "\"immunisation\""),
            "\"deferralDays\": { \"value\": 2.0, \"unit\": \"days\", \"description\": \"days\" }");

        var diagnostic = Assert.Single(RuleSetLoader.Load(dir.Path).Diagnostics, d => d.Message.Contains("does not compile", StringComparison.Ordinal));

        Assert.Contains("the parameter 'deferralDays' (2.0) in ruleset.json is a decimal: write a whole number without a fraction (2, not 2.0)", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ParseErrorAfterEscapedQuotes_CountsTheEscapesInTheColumn()
    {
        // In the file the expression is written child.Has(\"fever\") && ((: each \" is two source characters.
        var diagnostic = LoadError("child.Has(\"fever\") && ((");
        var (line, start) = ExpressionStart();

        var character = int.Parse(System.Text.RegularExpressions.Regex.Match(diagnostic.Message, @"at character (\d+)").Groups[1].Value);
        Assert.Equal(25, character); // past the end of the 24 characters
        Assert.Equal(line, diagnostic.Line);
        Assert.Equal(start + character - 1 + 2, diagnostic.Column);
    }

    [Theory]
    [InlineData("expression does not compile: ')' or operator expected (at character 9 of the expression)", 8)]
    [InlineData("expression does not compile: Syntax error (at character 1 of the expression)", 0)]
    public void TryGetIndex_VetterMessage_ReadsTheCharacter(string problem, int index)
    {
        Assert.True(ExpressionErrorPosition.TryGetIndex(problem, out var actual));
        Assert.Equal(index, actual);
    }

    [Fact]
    public void TryGetIndex_MessageWithoutACharacter_IsFalse()
    {
        Assert.False(ExpressionErrorPosition.TryGetIndex("'Assign' is not allowed in a rule expression", out _));
    }
}
