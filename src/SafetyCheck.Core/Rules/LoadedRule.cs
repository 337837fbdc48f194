using Newtonsoft.Json.Linq;
using SafetyCheck.Core.Json;

namespace SafetyCheck.Core.Rules;

/// <summary>A rule read from its file, with the tokens later checks point diagnostics at.</summary>
internal sealed record LoadedRule(
    RuleDefinition Definition,
    string WorkflowName,
    JsonSourceFile Source,
    JToken NameToken,
    JToken ExpressionToken,
    JToken? ConditionsToken)
{
    /// <summary>The definition; vetting adds what it learns from the expression.</summary>
    public RuleDefinition Definition { get; set; } = Definition;
}
