using SafetyCheck.Audit.Replay;

namespace SafetyCheck.AuditPage;

/// <summary>A decision's page; with the result of its replay after the replay button.</summary>
public sealed record DecisionPageModel(PageFrame Frame, DecisionView Decision, ReplayResult? Replay);
