using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Tests.Support;

namespace SafetyCheck.Core.Tests.Rules;

/// <summary>A corpus of hostile expressions: every one must be a load error naming the rule file and line.</summary>
public class ExpressionAllowListTests
{
    public static TheoryData<string> Hostile => new()
    {
        "\"\".GetType().Assembly.FullName != \"\"",
        "child.GetType().Name == \"ChildFacts\"",
        "child.GetType().Assembly.Location.Length > 0",
        "\"\".GetType().Assembly.DefinedTypes.Any(t => t.FullName == \"System.IO.File\")",
        "Enumerable.Range(0, 300000000).Count() > 1",
        "Enumerable.Repeat(1, 300000000).Count() > 1",
        "Enumerable.Range(0, 10).Where(i => i > 3).Any()",
        "DateTime.Now.Year > 2000",
        "DateTime.UtcNow.Year > 2000",
        "Guid.NewGuid() != Guid.Empty",
        "child.Data.AgeDays > 0",
        "child.ToString() == \"x\"",
        "child.Equals(child)",
        "child.GetHashCode() > 0",
        "child.TemperatureCelsius.ToNullable() > 37",
        "child.TemperatureCelsius.ToNullableInt32() > 37",
        "child.TemperatureCelsius == null",
        "child.BirthWeightGrams == child.TemperatureCelsius",
        "child.AsOfDate.Year > 2000",
        "child.Conditions.Count > 0",
        "child.PlannedAreas.Count > 0",
        "child.AgeBandValue == child.AgeBandValue",
        "child.SettingValue.ToString() == \"Nicu\"",
        "child.TemperatureCelsius.GetType() != null",
        "Environment.MachineName != \"\"",
        "System.IO.File.Exists(\"/etc/passwd\")",
        "Convert.ToInt32(\"5\") == 5",
        "\"abc\".ToUpper() == \"ABC\"",
        "\"abc\".Replace(\"a\", \"b\") == \"bbc\"",
        "child.AGEDAYS > 0",
        "CHILD.AgeDays > 0",
        "child.gettype().Name == \"x\"",
        "new(1 as x).x == 1",
        "Math.Pow(2, 1000) > 1",
        "TimeSpan.FromDays(1).Days == 1",
        "AppDomain.CurrentDomain != null",
        "Activator.CreateInstance(\"x\", \"y\") != null",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Load_HostileExpression_IsRefusedAtItsLine(string expression)
    {
        using var dir = TempRuleDirectory.WithRules(Fixtures.Rule("hostile", expression));
        var text = File.ReadAllText(Path.Combine(dir.Path, "rules.json"));
        var line = text.Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains("\"Expression\"", StringComparison.Ordinal)).i + 1;

        var result = RuleSetLoader.Load(dir.Path);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.File == "rules.json" && d.Line == line && d.Message.StartsWith("rule 'hostile':", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("child.AgeDays < 28 && child.Setting == \"NICU\"")]
    [InlineData("!child.GestationKnown && child.AgeMonths < 24")]
    [InlineData("child.GestationalAgeWeeks.Below(37) && child.PostmenstrualAgeWeeks.Below(40)")]
    [InlineData("child.TemperatureCelsius.AtLeast(feverThresholdCelsius) || child.MinutesSinceLastFeed.InRange(0, 30)")]
    [InlineData("child.PlansArea(\"ABDOMEN\") && child.PlannedPressure != \"FIRM\"")]
    [InlineData("child.AgeBand == \"NEONATE\" ? child.AgeDays < 3 : child.AgeYears >= 12")]
    [InlineData("Math.Abs(child.InfantAgeMonths) < 12")]
    [InlineData("child.Setting.StartsWith(\"IN\")")]
    public void Load_VocabularyExpression_IsAccepted(string expression)
    {
        using var dir = TempRuleDirectory.WithRules(Fixtures.Rule("ok", expression));

        var result = RuleSetLoader.Load(dir.Path);

        Assert.Empty(result.Diagnostics);
    }
}
