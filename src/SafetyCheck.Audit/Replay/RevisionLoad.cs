using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.Replay;

/// <summary>An archived revision as <see cref="DecisionReplayer"/> loaded it.</summary>
/// <param name="Status"><see cref="ReplayStatus.Match"/> when it loaded and hashes to its revision; otherwise why it did not.</param>
/// <param name="RuleSet">The loaded rule set; null unless <paramref name="Status"/> is <see cref="ReplayStatus.Match"/>.</param>
/// <param name="Message">Why it did not load, for people; empty when it did.</param>
public sealed record RevisionLoad(ReplayStatus Status, RuleSet? RuleSet, string Message);
