using SafetyCheck.Core.Rules;

namespace SafetyCheck.RuleSuite.Tests;

/// <summary>
/// The expression bounds guard the stack, not the clinicians' style: the shipped rules stay far inside them, within half
/// of each (rule set 1.6.0: at most 473 characters, nesting 5, 1 unary operator in a row, 17 operators), so that an
/// ordinary edit never runs into one.
/// </summary>
public class ExpressionBoundsHeadroomTests
{
    [Fact]
    public void ShippedRules_StayWithinHalfOfEachExpressionBound()
    {
        var sizes = ShippedSuite.Load.RuleSet!.Rules.Select(r => ExpressionBounds.Measure(r.Expression)).ToList();
        var (length, nesting, unary, operators) = (sizes.Max(s => s.Length), sizes.Max(s => s.Nesting), sizes.Max(s => s.UnaryRun), sizes.Max(s => s.Operators));
        var measured = $"{sizes.Count} rules: at most {length} characters, nesting {nesting}, {unary} unary in a row, {operators} operators";

        Assert.True(length <= ExpressionBounds.MaxLength / 2, measured);
        Assert.True(nesting <= ExpressionBounds.MaxNesting / 2, measured);
        Assert.True(unary <= ExpressionBounds.MaxUnaryRun / 2, measured);
        Assert.True(operators <= ExpressionBounds.MaxOperators / 2, measured);
    }
}
