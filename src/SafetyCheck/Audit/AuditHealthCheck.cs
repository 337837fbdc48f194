using Microsoft.Extensions.Diagnostics.HealthChecks;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Recording;
using SafetyCheck.Audit.Storage;
using SafetyCheck.RuleSets;

namespace SafetyCheck.Audit;

/// <summary>
/// Healthy when decisions can be recorded: the served revision is archived and the writer's last write did not fail.
/// After a failure each call probes the writer with one (empty) write transaction, so health recovers when the store
/// does. A store that fails only on real records (disk full) can therefore read SERVING between failed checks; every
/// such check still answers UNAVAILABLE.
/// </summary>
internal sealed class AuditHealthCheck(RuleSetProvider rules, RevisionArchive archive, AuditChainWriter writer) : IHealthCheck
{
    public const string Name = "audit-trail";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var ruleSet = rules.Current?.RuleSet;
        if (ruleSet is null)
        {
            // Nothing to archive or probe with; the rule-set check reports NOT_SERVING meanwhile.
            return writer.Health.Failure is { } failure
                ? HealthCheckResult.Unhealthy("the audit trail cannot record decisions: " + failure.Message)
                : HealthCheckResult.Healthy("no rule set to archive yet");
        }

        if (writer.Health.Failure is not null && !await writer.ProbeAsync(ruleSet, cancellationToken).ConfigureAwait(false))
        {
            return HealthCheckResult.Unhealthy("the audit trail cannot record decisions: " + writer.Health.Failure?.Message);
        }

        try
        {
            await archive.EnsureArchivedAsync(ruleSet, cancellationToken).ConfigureAwait(false);
        }
        catch (AuditStoreUnavailableException ex)
        {
            return HealthCheckResult.Unhealthy("the served rule revision cannot be archived: " + ex.Message);
        }

        return HealthCheckResult.Healthy($"recording decisions; revision {ruleSet.Identity.Revision} archived");
    }
}
