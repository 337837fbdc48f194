using Microsoft.Extensions.Diagnostics.HealthChecks;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Recording;
using SafetyCheck.Audit.Storage;
using SafetyCheck.RuleSets;

namespace SafetyCheck.Audit;

/// <summary>
/// Healthy when decisions can be recorded, as real commits show it: the chain is not refused, no store write is stalled
/// past the bound, the writer's last commit did not fail, and the served revision is archived. After a failure each
/// call probes the writer by committing an outage entry — a real record, through the same path as decisions — so
/// health recovers exactly when records can be written again, and not before. While nothing is written, a call made
/// when no write has succeeded for <see cref="AuditChainWriterOptions.LivenessInterval"/> (2 s) first has the writer
/// check that the store still answers (<see cref="AuditChainWriter.CheckLivenessAsync"/>: PostgreSQL, a round trip on
/// the chain's connection; SQLite, nothing to check), writing no entry: a store that fails while idle turns health
/// unhealthy too, and the outage entry's commit ends it as after a failed commit. Never waits more than
/// <see cref="ProbeWait"/> for the store; the full verification's progress is in the description.
/// </summary>
internal sealed class AuditHealthCheck(RuleSetProvider rules, RevisionArchive archive, AuditChainWriter writer, AuditChainVerification verification) : IHealthCheck
{
    public const string Name = "audit-trail";

    /// <summary>Longest a health call waits for the store (real time); the probe itself goes on in the background.</summary>
    public static readonly TimeSpan ProbeWait = TimeSpan.FromSeconds(1);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (writer.Health.Refusal is { } refusal)
        {
            return HealthCheckResult.Unhealthy("the audit chain is refused: " + refusal);
        }

        if (writer.CheckForStall())
        {
            return HealthCheckResult.Unhealthy("the audit store is stalled: a write has not returned within the commit bound");
        }

        // The served revision first: until it is archived no decision can be recorded, and a probe (a small outage
        // entry) that fits where the archive does not would only say SERVING for a moment and add entries to the chain.
        var ruleSet = rules.Current?.RuleSet;
        if (ruleSet is not null && !archive.IsArchived(ruleSet.Identity.Revision))
        {
            try
            {
                if (!await WithinProbeWaitAsync(Archived(ruleSet, cancellationToken), cancellationToken).ConfigureAwait(false))
                {
                    return HealthCheckResult.Unhealthy("the served rule revision is not archived yet: the store did not answer within " + ProbeWait.TotalSeconds + " s");
                }
            }
            catch (AuditStoreUnavailableException ex)
            {
                return HealthCheckResult.Unhealthy("the served rule revision cannot be archived: " + ex.Message);
            }
        }

        if (writer.Health.Failure is not null)
        {
            if (!await WithinProbeWaitAsync(writer.ProbeAsync(cancellationToken), cancellationToken).ConfigureAwait(false))
            {
                return HealthCheckResult.Unhealthy("the audit trail cannot record decisions: " + writer.Health.Failure?.Message);
            }
        }
        else if (!await WithinProbeWaitAsync(writer.CheckLivenessAsync(cancellationToken), cancellationToken).ConfigureAwait(false))
        {
            return HealthCheckResult.Unhealthy(writer.Health.Failure is { } failure
                ? "the audit trail cannot record decisions: " + failure.Message
                : $"the audit trail cannot record decisions: the audit store did not answer a liveness check within {ProbeWait.TotalSeconds} s");
        }

        if (ruleSet is null)
        {
            // Nothing to archive yet; the rule-set check reports NOT_SERVING meanwhile.
            return HealthCheckResult.Healthy("no rule set to archive yet");
        }

        return HealthCheckResult.Healthy($"recording decisions; revision {ruleSet.Identity.Revision} archived; {verification.Status}");
    }

    private async Task<bool> Archived(Core.Rules.RuleSet ruleSet, CancellationToken cancellationToken)
    {
        await archive.EnsureArchivedAsync(ruleSet, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task<bool> WithinProbeWaitAsync(Task<bool> probe, CancellationToken cancellationToken)
    {
        try
        {
            return await probe.WaitAsync(ProbeWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
