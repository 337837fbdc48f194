using Microsoft.Extensions.DependencyInjection.Extensions;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Recording;
using SafetyCheck.Audit.Replay;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.RuleSets;

namespace SafetyCheck.Audit;

internal static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// The audit trail of the service: options (<c>SafetyCheck:Audit</c>), the storage opened at start (the SQLite file,
    /// or this instance's chain in a shared PostgreSQL database) and the
    /// chain writer over it (its tail checked), the pseudonym key, the recorder every Check goes through, the revision
    /// archive, replay, and the health check (tagged like the rule-set check, so grpc.health.v1 reports NOT_SERVING when
    /// decisions cannot be recorded). A test may register its own <see cref="IAuditStorage"/> after this call.
    /// </summary>
    public static IServiceCollection AddSafetyCheckAudit(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>()
            .BindConfiguration(AuditOptions.Section)
            .Validate(o => PseudonymKeys.IsValidConfiguredKey(o.PseudonymKey), $"{AuditOptions.Section}:{nameof(AuditOptions.PseudonymKey)} must be base64 of at least {Pseudonymiser.MinimumKeyBytes} bytes.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditStoreSettingsValidation>();
        services.TryAddSingleton(sp => AuditStoreSettings.Resolve(sp.GetRequiredService<IOptions<AuditOptions>>().Value));
        services.TryAddSingleton(sp => AuditPaths.Resolve(sp.GetRequiredService<IOptions<AuditOptions>>().Value));
        services.TryAddSingleton(sp => AuditStores.OpenStorage(sp.GetRequiredService<AuditStoreSettings>(), sp.GetRequiredService<AuditPaths>()));
        services.TryAddSingleton<IAuditReader>(sp => sp.GetRequiredService<IAuditStorage>());
        services.TryAddSingleton(sp => AuditStores.ChainsOf(sp.GetRequiredService<IAuditStorage>()));

        // The store's reads complete synchronously; starting the writer reads the head and checks the tail.
        services.TryAddSingleton(sp => AuditChainWriter.StartAsync(
            sp.GetRequiredService<IAuditStorage>(), logger: sp.GetRequiredService<ILogger<AuditChainWriter>>()).GetAwaiter().GetResult());
        services.TryAddSingleton(sp => PseudonymKeys.Resolve(sp.GetRequiredService<IOptions<AuditOptions>>().Value, sp.GetRequiredService<AuditPaths>()));
        services.TryAddSingleton(sp => new DecisionReplayer(sp.GetRequiredService<IAuditReader>()));
        services.TryAddSingleton(sp => new RulesetIdentities(sp.GetRequiredService<IAuditReader>()));
        services.TryAddSingleton<RevisionArchive>();
        services.Replace(ServiceDescriptor.Singleton<IDecisionRecorder, ChainDecisionRecorder>());
        services.TryAddSingleton<IReloadJournal, AuditReloadJournal>();
        services.AddHostedService<AuditStoreLifetime>();
        services.AddHealthChecks().AddCheck<AuditHealthCheck>(AuditHealthCheck.Name, tags: [RuleSetHealthCheck.Tag]);
        return services;
    }
}
