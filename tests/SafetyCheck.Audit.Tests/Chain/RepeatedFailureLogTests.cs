using Microsoft.Extensions.Time.Testing;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Tests.Support;

namespace SafetyCheck.Audit.Tests.Chain;

public sealed class RepeatedFailureLogTests
{
    [Fact]
    public void Failed_OnlyChecksWithoutRecordsFailedSinceTheLastLine_SaysTheStoreStillDoesNotAnswer()
    {
        // An idle instance whose store is down fails only its liveness checks and probes, which carry no record:
        // "0 more writes failed" would read as if the store had come back.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));
        var log = new ListLogger<AuditChainWriter>();
        var failures = new RepeatedFailureLog(log, clock, TimeSpan.FromSeconds(10));

        failures.Failed("the audit store does not answer (checked while idle): connection refused", writes: 0);
        clock.Advance(TimeSpan.FromSeconds(11));
        failures.Failed("the audit store does not answer (checked while idle): connection refused", writes: 0);
        clock.Advance(TimeSpan.FromSeconds(11));
        failures.Failed("the audit record could not be committed: connection refused", writes: 3);

        Assert.Equal(3, log.Entries.Count);
        Assert.StartsWith("Audit records could not be recorded: the audit store does not answer", log.Entries[0].Message, StringComparison.Ordinal);
        Assert.Equal(
            "The audit store still does not answer (no record waited in the last 10 s); latest: the audit store does not answer (checked while idle): connection refused",
            log.Entries[1].Message);
        Assert.StartsWith("Audit records could not be recorded: 3 more writes failed in the last 10 s", log.Entries[2].Message, StringComparison.Ordinal);
    }
}
