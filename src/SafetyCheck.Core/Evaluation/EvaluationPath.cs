namespace SafetyCheck.Core.Evaluation;

/// <summary>How rules are evaluated; every path gives the same results (the equivalence tests show it).</summary>
internal enum EvaluationPath
{
    /// <summary>The compiled delegates of the rules the index selects; the others are not fired. What a check uses.</summary>
    Indexed,

    /// <summary>The compiled delegates of every rule.</summary>
    EveryRule,

    /// <summary>RulesEngine's own <c>ExecuteAllRulesAsync</c> over the workflows.</summary>
    RulesEngine,
}
