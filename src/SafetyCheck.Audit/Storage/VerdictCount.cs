namespace SafetyCheck.Audit.Storage;

/// <summary>How many decisions of one verdict were recorded on one UTC calendar day.</summary>
/// <param name="Day">The UTC date of <c>recorded_at</c>.</param>
/// <param name="Verdict">Verdict contract name, e.g. <c>NOT_SUITABLE</c>.</param>
/// <param name="Decisions">Decisions, at least 1.</param>
public sealed record VerdictCount(DateOnly Day, string Verdict, long Decisions);
