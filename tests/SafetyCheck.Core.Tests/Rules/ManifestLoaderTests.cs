using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Tests.Support;

namespace SafetyCheck.Core.Tests.Rules;

public class ManifestLoaderTests
{
    private static readonly string InfantRule = Fixtures.Rule("infant-pressure", "child.InfantAgeMonths < 12", "SUITABLE", "INFO", extra: ",\n \"maxPressure\": \"MODERATE\"");

    [Theory]
    [InlineData("correctedAgeCutoffMonths", "-1", "months", "an integer from 0 to 120, not -1")]
    [InlineData("correctedAgeCutoffMonths", "24.5", "months", "an integer from 0 to 120, not 24.5")]
    [InlineData("correctedAgeCutoffMonths", "24.0", "months", "an integer from 0 to 120, not 24.0")]
    [InlineData("correctedAgeCutoffMonths", "121", "months", "an integer from 0 to 120, not 121")]
    [InlineData("termGestationWeeks", "31", "weeks", "an integer from 32 to 42, not 31")]
    [InlineData("termGestationWeeks", "43", "weeks", "an integer from 32 to 42, not 43")]
    [InlineData("termGestationWeeks", "36.5", "weeks", "an integer from 32 to 42, not 36.5")]
    public void Load_EngineParameterNotAWholeNumberInRange_RefusedAtTheValue(string name, string value, string units, string expected)
    {
        var parameter = $$"""
            "{{name}}": { "value": {{value}}, "unit": "{{units}}", "description": "read by the engine" }
            """;
        using var dir = TempRuleDirectory.WithRules(InfantRule, parameter);
        var lines = File.ReadAllLines(Path.Combine(dir.Path, "ruleset.json"));
        var line = Array.FindIndex(lines, l => l.Contains($"\"{name}\"", StringComparison.Ordinal));
        var column = lines[line].IndexOf("\"value\": ", StringComparison.Ordinal) + "\"value\": ".Length + 1;

        var result = RuleSetLoader.Load(dir.Path);

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(
            $"ruleset.json:{line + 1}:{column}: error: parameter '{name}' is read by the engine as a whole number of {units}: it must be {expected}",
            diagnostic.ToString());
    }

    [Theory]
    [InlineData("correctedAgeCutoffMonths", 0)]
    [InlineData("correctedAgeCutoffMonths", 24)]
    [InlineData("correctedAgeCutoffMonths", 120)]
    [InlineData("termGestationWeeks", 32)]
    [InlineData("termGestationWeeks", 42)]
    public void Load_EngineParameterWholeNumberInRange_Loads(string name, int value)
    {
        using var dir = TempRuleDirectory.WithRules(InfantRule, $$"""
            "{{name}}": { "value": {{value}}, "unit": "read by the engine", "description": "read by the engine" }
            """);

        var result = RuleSetLoader.Load(dir.Path);

        Assert.Empty(result.Diagnostics);
        Assert.True(result.Succeeded);
        var parameter = Assert.Single(result.RuleSet.Parameters, p => p.Name == name);
        Assert.Equal((value, true), (parameter.Value, parameter.IsInteger));
    }

    [Theory]
    [InlineData("99999999999999999999999")]
    [InlineData("-99999999999999999999999")]
    [InlineData("9999999999")]
    public void Load_ParameterBeyondAnInteger_RefusedNotThrown(string value)
    {
        // An integer too large for a long reaches the loader as a BigInteger: refused at the value like any out-of-range number.
        using var dir = TempRuleDirectory.WithRules(InfantRule, $$"""
            "infantAgeMonths": { "value": {{value}}, "unit": "months", "description": "read by expressions only" }
            """);

        var result = RuleSetLoader.Load(dir.Path);

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.EndsWith("error: parameter 'infantAgeMonths' must be a finite number within the range of a 32-bit integer", diagnostic.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("99999999999999999999999")]
    [InlineData("20200")]
    [InlineData("999")]
    [InlineData("-2020")]
    public void Load_CitationYearNotFourDigits_RefusedNotThrown(string year)
    {
        var rule = InfantRule.Replace("\"year\": 2020", $"\"year\": {year}", StringComparison.Ordinal);
        Assert.Contains(year, rule, StringComparison.Ordinal);
        using var dir = TempRuleDirectory.WithRules(rule);

        var result = RuleSetLoader.Load(dir.Path);

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.EndsWith("error: a citation needs an integer 'year' from 1000 to 9999", diagnostic.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FractionalParameterOnlyExpressionsRead_Loads()
    {
        using var dir = TempRuleDirectory.WithRules(InfantRule, """
            "infantAgeMonths": { "value": 12.5, "unit": "months", "description": "read by expressions only" }
            """);

        var result = RuleSetLoader.Load(dir.Path);

        Assert.Empty(result.Diagnostics);
        Assert.True(result.Succeeded);
        Assert.Equal(12.5, Assert.Single(result.RuleSet.Parameters, p => p.Name == "infantAgeMonths").Value);
    }

    [Theory]
    [InlineData("correctedAgeCutoffMonths", "24.0")]
    [InlineData("termGestationWeeks", "36.5")]
    [InlineData("termGestationWeeks", "31")]
    public void LoadArchived_EngineParameterOutsideThisBuildsBounds_LoadsForReplay(string name, string value)
    {
        // An archive holds what the build that served it loaded; it replays over its recorded facts, which these
        // bounds do not reach, so a later build's stricter bounds do not make it unreplayable.
        using var dir = TempRuleDirectory.WithRules(InfantRule, $$"""
            "{{name}}": { "value": {{value}}, "unit": "read by the engine", "description": "read by the engine" }
            """);
        var files = RuleSetLoader.ReadFiles(dir.Path);

        var archived = RuleSetLoader.LoadArchived(files);
        var served = RuleSetLoader.Load(files);

        Assert.True(archived.Succeeded, string.Join("; ", archived.Diagnostics));
        Assert.False(served.Succeeded);
        Assert.Equal(double.Parse(value, System.Globalization.CultureInfo.InvariantCulture), Assert.Single(archived.RuleSet.Parameters, p => p.Name == name).Value);
        _ = new SafetyCheck.Core.Evaluation.SafetyChecker(archived.RuleSet, TimeProvider.System);
    }
}
