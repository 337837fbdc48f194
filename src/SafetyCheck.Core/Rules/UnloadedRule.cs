using Newtonsoft.Json.Linq;
using SafetyCheck.Core.Json;

namespace SafetyCheck.Core.Rules;

/// <summary>A rule that did not load (its properties, id or other members have errors) whose expression can still be vetted.</summary>
/// <param name="RuleId">The rule's id as written, or '?'.</param>
/// <param name="Expression">The expression.</param>
/// <param name="Source">The rule's file.</param>
/// <param name="ExpressionToken">The expression's token, for positions.</param>
internal sealed record UnloadedRule(string RuleId, string Expression, JsonSourceFile Source, JToken ExpressionToken);
