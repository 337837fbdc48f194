using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.RuleSuite;

/// <summary>Runs the <c>*.cases.json</c> beside the rule files and reports per-case results and per-rule coverage.</summary>
public sealed class RuleSuiteRunner(IRequestJsonReader reader)
{
    /// <summary>Runs every case of <paramref name="ruleSet"/>'s directory.</summary>
    public RuleSuiteReport Run(RuleSet ruleSet) => throw new NotImplementedException($"in progress {reader}");
}
