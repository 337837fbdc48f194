namespace SafetyCheck.Core.Rules;

/// <summary>What a rule produces when it fires.</summary>
public enum RuleKind
{
    /// <summary>A precaution: contributes its outcome to the verdict.</summary>
    Precaution = 0,

    /// <summary>An evidence-graded benefit note: never changes the verdict.</summary>
    Benefit = 1,
}
