namespace SafetyCheck.AuditPage;

/// <summary>One day of the verdicts picture: decisions per verdict (contract names), every verdict present (0 when none).</summary>
public sealed record DayVerdicts(DateOnly Day, IReadOnlyDictionary<string, long> Counts)
{
    public long Total => Counts.Values.Sum();
}
