using Microsoft.Extensions.DependencyInjection.Extensions;
using SafetyCheck.Core.Audit;
using SafetyCheck.Rules;

namespace SafetyCheck.Audit;

internal static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// The audit trail of the service: options (<c>SafetyCheck:Audit</c>), the SQLite store opened at start, the
    /// pseudonym key, the recorder every Check goes through, the revision archive, replay, and the health check (tagged
    /// like the rule-set check, so grpc.health.v1 reports NOT_SERVING when decisions cannot be recorded). A test may
    /// register its own <see cref="IAuditStore"/> after this call.
    /// </summary>
    public static IServiceCollection AddSafetyCheckAudit(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>()
            .BindConfiguration(AuditOptions.Section)
            .Validate(o => PseudonymKeys.IsValidConfiguredKey(o.PseudonymKey), $"{AuditOptions.Section}:{nameof(AuditOptions.PseudonymKey)} must be base64 of at least {Pseudonymiser.MinimumKeyBytes} bytes.")
            .ValidateOnStart();
        services.TryAddSingleton(sp => AuditPaths.Resolve(sp.GetRequiredService<IOptions<AuditOptions>>().Value));
        services.TryAddSingleton<IAuditStore>(sp => SqliteAuditStore.Open(sp.GetRequiredService<AuditPaths>().DatabasePath));
        services.TryAddSingleton(sp => PseudonymKeys.Resolve(sp.GetRequiredService<IOptions<AuditOptions>>().Value, sp.GetRequiredService<AuditPaths>()));
        services.TryAddSingleton(sp => new DecisionReplayer(sp.GetRequiredService<IAuditStore>()));
        services.TryAddSingleton<AuditWriterHealth>();
        services.TryAddSingleton<RevisionArchive>();
        services.Replace(ServiceDescriptor.Singleton<IDecisionRecorder, AuditDecisionRecorder>());
        services.AddHostedService<AuditStoreLifetime>();
        services.AddHealthChecks().AddCheck<AuditHealthCheck>(AuditHealthCheck.Name, tags: [RuleSetHealthCheck.Tag]);
        return services;
    }
}
