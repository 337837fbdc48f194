using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SafetyCheck.RuleSets;

/// <summary>Healthy once a rule set is loaded and warmed; grpc.health.v1 answers NOT_SERVING until then.</summary>
internal sealed class RuleSetHealthCheck(RuleSetProvider provider) : IHealthCheck
{
    /// <summary>The tag of the checks behind the service's health.</summary>
    public const string Tag = "rules";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(provider.Current is { } checker
            ? HealthCheckResult.Healthy($"serving revision {checker.RuleSet.Identity.Revision}")
            : HealthCheckResult.Unhealthy("no valid rule set is loaded"));
}
