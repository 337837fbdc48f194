namespace SafetyCheck.Audit.Replay;

/// <summary>One way a rule's result changes, <c>recorded → replayed</c> (fired, not_fired, errored, absent), and in how many decisions.</summary>
public sealed record RuleTransition(string Change, long Decisions);
