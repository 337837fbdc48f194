using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Tests.Support;

namespace SafetyCheck.Core.Tests.Rules;

/// <summary>A literal number where a policy parameter of the same unit and value exists is a warning at its digits.</summary>
public class LiteralParameterReviewTests
{
    private const string Parameters = """
        "umbilicalStumpDays": { "value": 21, "unit": "days", "description": "stump" },
        "hospitalisedBenefitMinAgeYears": { "value": 2, "unit": "years", "description": "benefit" },
        "recentSurgeryDays": { "value": 42, "unit": "days", "description": "surgery" },
        "recentFractureDays": { "value": 42, "unit": "days", "description": "fracture" },
        "lowBirthWeightGrams": { "value": 2500, "unit": "g", "description": "low birth weight" }
        """;

    private static IReadOnlyList<Diagnostic> Review(string expression, string conditions = "")
    {
        using var dir = TempRuleDirectory.WithRules(Fixtures.Rule("subject", expression, conditions: conditions), Parameters);
        var load = RuleSetLoader.Load(dir.Path);
        Assert.True(load.Succeeded, string.Join("\n", load.Diagnostics));
        return LiteralParameterReview.Review(load.RuleSet);
    }

    /// <summary>The column of <paramref name="index"/> inside the expression as <see cref="Fixtures.Rule"/> writes it (no escapes before it).</summary>
    private static int ColumnOf(string expression, int index)
    {
        var line = Fixtures.Workflow("fixture", Fixtures.Rule("subject", expression)).Split('\n').First(l => l.Contains("\"Expression\"", StringComparison.Ordinal));
        return line.IndexOf("\"Expression\": \"", StringComparison.Ordinal) + "\"Expression\": \"".Length + 1 + index;
    }

    [Theory]
    [InlineData("child.HasWithinDays(\"immunisation\", 2)", "\"immunisation\"", "immunisationDeferralDays")]
    [InlineData("child.AgeDays < 21", "", "umbilicalStumpDays")]
    [InlineData("21 > child.AgeDays", "", "umbilicalStumpDays")]
    [InlineData("child.AgeYears >= 2", "", "hospitalisedBenefitMinAgeYears")]
    [InlineData("child.BirthWeightGrams.Below(2500)", "", "lowBirthWeightGrams")]
    [InlineData("child.TemperatureCelsius.AtLeast(38.0)", "", "feverThresholdCelsius")]
    [InlineData("child.TemperatureCelsius.AtLeast(38)", "", "feverThresholdCelsius")]
    [InlineData("child.InfantAgeDays < 21 && child.Setting == \"HOME\"", "", "umbilicalStumpDays")]
    public void Review_LiteralEqualToAParameterOfTheSameUnit_Warns(string expression, string conditions, string parameter)
    {
        var warning = Assert.Single(Review(expression, conditions));

        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal("rules.json", warning.File);
        Assert.Contains($"'{parameter}'", warning.Message, StringComparison.Ordinal);
        Assert.Contains($"write {parameter} instead", warning.Message, StringComparison.Ordinal);
        var literal = System.Text.RegularExpressions.Regex.Match(expression, @"(?<![\w.])\d+(\.\d+)?(?!\w)(?=[^""]*(""[^""]*""[^""]*)*$)");
        Assert.Equal(ColumnOf(expression, literal.Index) + (expression[..literal.Index].Count(c => c == '"')), warning.Column);
    }

    [Theory]
    [InlineData("child.AgeMonths < 2")] // no parameter of 2 months (2 days and 2 years exist)
    [InlineData("child.AgeDays < 20")] // no parameter of 20 days
    [InlineData("child.AgeDays < 19 + 2")] // arithmetic: not a direct position (2 days is a parameter)
    [InlineData("child.AgeDays < umbilicalStumpDays")] // the parameter itself
    [InlineData("child.BirthWeightGrams.Below(2499)")]
    [InlineData("child.Setting == \"NICU\" && child.AgeDays >= 0")]
    public void Review_LiteralWithoutAParameterOfThatUnitAndValue_DoesNotWarn(string expression)
    {
        Assert.Empty(Review(expression));
    }

    [Fact]
    public void Review_TwoParametersOfTheSameValue_NamesBoth()
    {
        var warning = Assert.Single(Review("child.AgeDays < 42"));

        Assert.Contains("'recentSurgeryDays' and 'recentFractureDays'", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Review_SameNumberTwice_PointsAtTheOneThatIsReported()
    {
        // The first 2 counts months (no parameter), the second days (immunisationDeferralDays).
        const string expression = "child.AgeMonths > 2 && child.HasWithinDays(\"immunisation\", 2)";
        var warning = Assert.Single(Review(expression, "\"immunisation\""));

        Assert.Equal(ColumnOf(expression, expression.LastIndexOf('2')) + 2, warning.Column);
    }
}
