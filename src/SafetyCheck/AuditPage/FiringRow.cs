namespace SafetyCheck.AuditPage;

/// <summary>A rule in the firing picture: per column the decisions it fired in (null when the revision has no such rule), and where it went silent.</summary>
/// <param name="RuleId">The rule.</param>
/// <param name="Counts">Per column, in column order.</param>
/// <param name="SilentFrom">Columns where it stopped firing although the previous revision's rate predicted at least <see cref="FiringMatrix.SilenceThreshold"/> firings.</param>
public sealed record FiringRow(string RuleId, IReadOnlyList<long?> Counts, IReadOnlySet<int> SilentFrom);
