namespace SafetyCheck.Core.Facts;

/// <summary>
/// Marks a member of <see cref="ChildFacts"/> or <see cref="Quantity"/> as part of the rule vocabulary: rule
/// expressions may read or call it. Unmarked members (the enums behind the text facts, the raw condition list, the
/// C# accessors of a quantity) are refused at load, so a member added for C# callers never reaches the rules by
/// accident.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Method, Inherited = false)]
public sealed class RuleVisibleAttribute : Attribute;
