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
        "child.AgeBand in (\"NEONATE\", \"INFANT\")",
        "child.AgeBand == \"NEONATE\" ? child.AgeDays < 3 : child.AgeYears >= 12",
        "child.AgeDays % 7 >= 0",
        "child.AgeDays * 2 >= 0",
        "child.TemperatureCelsius.AtLeast(1/0)",
        "(child.AgeBand ?? \"x\") == \"x\"",
        "child.Has(\"eczema\") & child.AgeDays > 3",
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

    private const string Operators = ": the operators are && || ! == != < <= > >= + - and parentheses";

    private const string Methods = ": the methods are child.PlansArea, child.Has, child.HasResolved, child.HasWithinDays, child.HasUndated " +
        "and a quantity's .Below, .AtLeast, .Above, .AtMost, .InRange, and the text and number helpers rules/README.md lists";

    private const string ConditionalAdvice = "(nor iif(...) or np(...), which the parser reads as one; write the cases with && and ||, or as separate rules)";

    /// <summary>
    /// What the parser reads but rules/README.md does not document: one load error each, naming what is not allowed and
    /// what is, at the operator when the expression writes it once (0-based index; null: at the expression).
    /// </summary>
    public static TheoryData<string, string, int?> OutsideTheVocabulary => new()
    {
        { "child.AgeDays % 7 >= 0", "'%' is not allowed in a rule expression" + Operators, 14 },
        { "child.AgeDays mod 7 >= 0", "'%' is not allowed in a rule expression" + Operators, 14 },
        { "child.AgeDays * 2 >= 0", "'*' is not allowed in a rule expression" + Operators, 14 },
        { "child.AgeDays * 2 >= 0 || child.AgeDays * 3 >= 0", "'*' is not allowed in a rule expression" + Operators, null },
        { "child.TemperatureCelsius.AtLeast(1/0)", "'/' is not allowed in a rule expression" + Operators, 34 },
        { "(child.AgeDays > 0 ? true : false)", "'? :' is not allowed in a rule expression (nor iif(...) or np(...), which the parser reads as one; write the cases with && and ||, or as separate rules)" + Operators, 19 },
        { "iif(child.AgeDays > 0, true, false)", "'? :' is not allowed in a rule expression (nor iif(...) or np(...), which the parser reads as one; write the cases with && and ||, or as separate rules)" + Operators, 0 },
        { "np(child.Setting) == \"NICU\"", "'? :' is not allowed in a rule expression " + ConditionalAdvice + Operators, 0 },
        { "np(child.Setting) == \"NICU\" && int?(child.AgeDays) == 3", "'? :' is not allowed in a rule expression " + ConditionalAdvice + Operators, 0 },
        { "Math.Sqrt(child.AgeDays) > 1", "method 'Math.Sqrt' is not allowed in a rule expression" + Methods, null },
        { "child.AgeBand.Replace(\"N\", \"M\") == \"MEOMATE\"", "method 'String.Replace' is not allowed in a rule expression" + Methods, null },
        { "(child.AgeBand ?? child.Setting) == child.Setting", "'??' is not allowed in a rule expression" + Operators, 15 },
        { "child.AgeDays > 3 & child.MedicalRelease", "'&' is not allowed in a rule expression (write &&)" + Operators, 18 },
        { "child.AgeDays > 3 | child.MedicalRelease && child.AgeDays < 9", "'|' is not allowed in a rule expression (write ||)" + Operators, 18 },
    };

    [Theory]
    [MemberData(nameof(OutsideTheVocabulary))]
    public void Load_OutsideTheDocumentedVocabulary_RefusedNamingWhatIsAllowed(string expression, string problem, int? index)
    {
        using var dir = TempRuleDirectory.WithRules(Fixtures.Rule("outside", expression));
        var lines = Fixtures.Workflow("fixture", Fixtures.Rule("outside", "x")).Split('\n');
        var line = Array.FindIndex(lines, l => l.Contains("\"Expression\"", StringComparison.Ordinal));
        var start = lines[line].IndexOf("\"x\"", StringComparison.Ordinal) + 2;

        var result = RuleSetLoader.Load(dir.Path);

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        var at = index is { } i ? $" (at character {i + 1} of the expression)" : "";
        Assert.Equal($"rule 'outside': {problem}{at}", diagnostic.Message);
        Assert.Equal(("rules.json", line + 1, index is { } j ? start + j : start - 1), (diagnostic.File, diagnostic.Line, diagnostic.Column));
    }

    [Fact]
    public void Load_SeveralOperatorsOutsideTheVocabulary_EachReported()
    {
        using var dir = TempRuleDirectory.WithRules(Fixtures.Rule("outside", "child.AgeDays > 0 ? child.AgeDays % 7 == 0 : child.AgeDays * 2 > 1"));

        var messages = RuleSetLoader.Load(dir.Path).Diagnostics.Select(d => d.Message).ToList();

        Assert.Equal(3, messages.Count);
        Assert.Contains(messages, m => m.StartsWith("rule 'outside': '? :' is not allowed", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("rule 'outside': '%' is not allowed", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("rule 'outside': '*' is not allowed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("child.AgeDays < 28 && child.Setting == \"NICU\"")]
    [InlineData("!child.GestationKnown && child.AgeMonths < 24")]
    [InlineData("child.GestationalAgeWeeks.Below(37) && child.PostmenstrualAgeWeeks.Below(40)")]
    [InlineData("child.TemperatureCelsius.AtLeast(feverThresholdCelsius) || child.MinutesSinceLastFeed.InRange(0, 30)")]
    [InlineData("child.PlansArea(\"ABDOMEN\") && child.PlannedPressure != \"FIRM\"")]
    [InlineData("child.AgeBand != \"NEONATE\" && child.AgeDays - immunisationDeferralDays >= 0 && -child.AgeDays <= 0")]
    [InlineData("(child.Setting == \"NICU\" || child.AgeDays < 28) && !(child.AgeYears > 12)")]
    [InlineData("Math.Abs(child.InfantAgeMonths) < 12")]
    [InlineData("child.Setting.StartsWith(\"IN\")")]
    [InlineData("child.AgeBand.Length > 0")]
    [InlineData("child.AgeBand.Substring(1) == \"EONATE\"")]
    [InlineData("child.AgeBand.Contains(\"NEO\")")]
    [InlineData("child.AgeBand.ToLowerInvariant() == \"neonate\"")]
    [InlineData("string.IsNullOrEmpty(child.AgeBand)")]
    [InlineData("child.AgeBand < \"INFANT\"")]
    [InlineData("child.AgeBand + \"X\" == \"NEONATEX\"")]
    public void Load_VocabularyExpression_IsAccepted(string expression)
    {
        using var dir = TempRuleDirectory.WithRules(Fixtures.Rule("ok", expression));

        var result = RuleSetLoader.Load(dir.Path);

        Assert.Empty(result.Diagnostics);
    }
}
