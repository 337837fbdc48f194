using RulesEngine.ExpressionBuilders;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Tests.Evaluation;

/// <summary>
/// Which condition ids an expression needs: an expression may be skipped for a child with none of them only when it
/// is then false without throwing. Every shape the derivation does not understand must come out as "no
/// requirement" (always evaluated). Some trees here use what rules/README.md's vocabulary does not (<c>&amp; | ? :</c>,
/// division, text methods): the loader refuses them, but the derivation must stay sound for any tree it is given.
/// </summary>
public sealed class ConditionRequirementTests
{
    [Theory]
    [InlineData("child.Has(\"a\")", "a")]
    [InlineData("child.HasResolved(\"a\")", "a")]
    [InlineData("child.HasUndated(\"a\")", "a")]
    [InlineData("child.HasWithinDays(\"a\", days)", "a")]
    [InlineData("child.HasWithinDays(\"a\", 3)", "a")]
    [InlineData("child.HasWithinDays(\"a\", child.AgeDays - 28)", "a")]
    [InlineData("child.Has(\"b\") || child.Has(\"a\")", "a b")]
    [InlineData("child.Has(\"a\") || child.HasWithinDays(\"b\", days) || child.HasUndated(\"c\")", "a b c")]
    [InlineData("child.Has(\"a\") && child.InfantAgeMonths < 12", "a")]
    [InlineData("child.Has(\"a\") && !child.Has(\"b\")", "a")]
    [InlineData("child.Has(\"a\") && \"abc\".Substring(child.AgeDays) == \"x\"", "a")]
    [InlineData("child.AgeDays < 28 && child.Has(\"a\")", "a")]
    [InlineData("child.Setting == \"NICU\" && child.TemperatureCelsius.Below(36.5) && child.Has(\"a\")", "a")]
    [InlineData("(child.Has(\"a\") || child.Has(\"b\")) && (child.Setting == \"NICU\" || child.AgeDays < 28)", "a b")]
    [InlineData("child.Has(\"a\") && child.Has(\"b\") && child.Has(\"c\")", "a")]
    [InlineData("(child.Has(\"a\") || child.Has(\"b\")) && child.Has(\"c\")", "c")]
    [InlineData("child.Has(\"a\") & child.AgeDays > 3", "a")]
    [InlineData("child.Has(\"a\") | child.Has(\"b\")", "a b")]
    [InlineData("child.AgeDays > 3 ? child.Has(\"a\") : child.Has(\"b\")", "a b")]
    public void Of_ExpressionFalseWithoutTheseConditions_IsIndexedUnderThem(string expression, string ids)
    {
        Assert.Equal(ids.Split(' '), Requirement(expression));
    }

    [Theory]
    // Reads facts: true without any condition.
    [InlineData("child.AgeDays < 28")]
    [InlineData("child.Has(\"a\") || child.TemperatureCelsius.AtLeast(38)")]
    [InlineData("child.AgeDays < 21 || child.Has(\"a\")")]
    [InlineData("!child.Has(\"a\")")]
    [InlineData("!(child.Has(\"a\") || child.Has(\"b\"))")]
    [InlineData("child.Has(\"a\") == false")]
    [InlineData("child.Has(\"a\") != child.Has(\"b\")")]
    [InlineData("child.AgeDays > 3 ? child.Has(\"a\") : true")]
    // May throw before the condition is tested: skipping it would turn "errored" into "not fired".
    [InlineData("\"abc\".Substring(child.AgeDays) == \"x\" && child.Has(\"a\")")]
    [InlineData("79228162514264337593543950335.0m + 1.0m > 0.0m && child.Has(\"a\")")]
    [InlineData("100 / child.AgeDays > 1 && child.Has(\"a\")")]
    [InlineData("child.HasWithinDays(\"a\", 10 / child.AgeDays)")]
    [InlineData("\"abc\".Substring(child.AgeDays) == \"x\" & child.Has(\"a\")")]
    [InlineData("child.Has(\"a\") & 100 / child.AgeDays > 1")]
    [InlineData("1 / child.AgeDays > 0 ? child.Has(\"a\") : child.Has(\"b\")")]
    public void Of_ExpressionThatCanBeTrueOrThrowWithoutConditions_HasNoRequirement(string expression)
    {
        Assert.Null(Requirement(expression));
    }

    [Fact]
    public void Of_BothSidesOfAnd_TakesTheSmallerRequirement()
    {
        Assert.Equal(["c"], Requirement("(child.Has(\"a\") || child.Has(\"b\")) & child.Has(\"c\")"));
    }

    [Fact]
    public async Task Of_LongChainOfNonShortCircuitAnds_IsWorkedOutInTimeLinearInItsLength()
    {
        // Each '&' once asked both sides twice, doubling the work per term: 40 terms never finished. A rule set
        // with such a rule hung check, serve's start and reload.
        var expression = "child.Has(\"a\") & " + string.Join(" & ", Enumerable.Repeat("child.AgeDays > 1", 40));

        var requirement = await Task.Run(() => Requirement(expression)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["a"], requirement);
    }

    /// <summary>
    /// The requirement of <paramref name="expression"/>, parsed exactly as a rule set parses it (whether or not the
    /// vocabulary allows the tree: see the type's summary).
    /// </summary>
    private static IReadOnlyList<string>? Requirement(string expression)
    {
        var vetter = new ExpressionVetter([new PolicyParameter("days", 42, "days", "a window") { IsInteger = true }], catalog: null);
        var body = new RuleExpressionParser(CompiledRules.Settings()).Parse(expression, [.. vetter.Parameters], typeof(bool));
        return ConditionRequirement.Of(body, vetter.Parameters[0]);
    }
}
