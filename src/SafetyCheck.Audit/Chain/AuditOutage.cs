namespace SafetyCheck.Audit.Chain;

/// <summary>A period in which the store refused or stalled every write, as the entry that closes it records it.</summary>
/// <param name="Since">When the first write failed (writer clock, UTC).</param>
/// <param name="Until">When the store accepted a write again: the outage entry's own time.</param>
/// <param name="FailedWrites">Appends and archives that failed or stalled during it (each refused decision is one).</param>
public sealed record AuditOutage(DateTimeOffset Since, DateTimeOffset Until, long FailedWrites);
