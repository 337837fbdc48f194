using Microsoft.Extensions.DependencyInjection.Extensions;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Recording;
using SafetyCheck.Audit.Replay;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Hosting;
using SafetyCheck.RuleSets;

namespace SafetyCheck.Audit;

internal static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// The audit trail of the service: options (<c>SafetyCheck:Audit</c>), the storage opened at start (the SQLite file,
    /// or this instance's chain in a shared PostgreSQL database) and the chain writer over it (the chain verified after
    /// its last verified point; commits bounded by <c>CommitStallSeconds</c>; outages recorded as entries), the pseudonym
    /// key, the recorder every Check goes through, the revision archive, replay, the full verification in the
    /// background, and the health check (tagged like the rule-set check, so grpc.health.v1 reports NOT_SERVING when
    /// decisions cannot be recorded). A test may register its own <see cref="IAuditStorage"/> after this call.
    /// </summary>
    public static IServiceCollection AddSafetyCheckAudit(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>()
            .BindSection(AuditOptions.Section)
            .Validate(o => PseudonymKeys.IsValidConfiguredKey(o.PseudonymKey), $"{AuditOptions.Section}:{nameof(AuditOptions.PseudonymKey)} must be base64 of at least {Pseudonymiser.MinimumKeyBytes} bytes.")
            .Validate(o => o.CommitStallSeconds is >= 1 and <= 300, $"{AuditOptions.Section}:{nameof(AuditOptions.CommitStallSeconds)} must be between 1 and 300.")
            .Validate(o => o.FailureLogIntervalSeconds is >= 1 and <= 3600, $"{AuditOptions.Section}:{nameof(AuditOptions.FailureLogIntervalSeconds)} must be between 1 and 3600.")
            .Validate(o => o.VerifyEveryMinutes is >= 0 and <= 1440, $"{AuditOptions.Section}:{nameof(AuditOptions.VerifyEveryMinutes)} must be between 0 (off) and 1440.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditStoreSettingsValidation>();
        services.TryAddSingleton(sp => AuditStoreSettings.Resolve(sp.GetRequiredService<IOptions<AuditOptions>>().Value));
        services.TryAddSingleton(sp => AuditPaths.Resolve(sp.GetRequiredService<IOptions<AuditOptions>>().Value));
        services.TryAddSingleton(sp => AuditStores.OpenStorage(sp.GetRequiredService<AuditStoreSettings>(), sp.GetRequiredService<AuditPaths>()));
        services.TryAddSingleton<IAuditReader>(sp => sp.GetRequiredService<IAuditStorage>());
        services.TryAddSingleton(sp => AuditStores.ChainsOf(sp.GetRequiredService<IAuditStorage>()));

        // Starting the writer verifies the chain after its last verified point and records the point it reaches; the
        // factory blocks its thread on that until it is done. It runs when the writer is first resolved: the host
        // resolves its hosted services (AuditStoreLifetime needs the writer) before any of them starts, so before
        // Kestrel listens, and a failure (AuditStoreUnavailableException) fails the start. With SQLite the reads are
        // synchronous file reads, so the task is complete when returned. With PostgreSQL they are network round trips
        // on the pool: each bounded by Npgsql's timeouts (the connection string's Timeout, 15 s by default, and Command
        // Timeout, 30 s; recording the point by WriteTimeout), their number growing with the entries written since the
        // last verified point, and the whole unbounded (no cancellation token is passed).
        services.TryAddSingleton(sp => AuditChainWriter.StartAsync(
            sp.GetRequiredService<IAuditStorage>(), WriterOptions(sp), sp.GetRequiredService<ILogger<AuditChainWriter>>()).GetAwaiter().GetResult());
        services.TryAddSingleton(sp => PseudonymKeys.Resolve(sp.GetRequiredService<IOptions<AuditOptions>>().Value, sp.GetRequiredService<AuditPaths>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<OpenedPseudonymKey>().Pseudonymiser);
        services.TryAddSingleton(sp => new DecisionReplayer(sp.GetRequiredService<IAuditReader>()));
        services.TryAddSingleton(sp => new RulesetIdentities(sp.GetRequiredService<IAuditReader>()));
        services.TryAddSingleton<RevisionArchive>();
        services.Replace(ServiceDescriptor.Singleton<IDecisionRecorder, ChainDecisionRecorder>());
        services.TryAddSingleton(sp => new DecisionPipelineOptions
        {
            NotRecordedLogInterval = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<AuditOptions>>().Value.FailureLogIntervalSeconds),
        });
        services.TryAddSingleton<IReloadJournal, AuditReloadJournal>();
        services.TryAddSingleton<AuditStoreLifetime>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditStoreLifetime>());
        services.TryAddSingleton(new AuditVerificationOptions());
        services.TryAddSingleton<AuditChainVerification>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditChainVerification>());
        services.AddHealthChecks().AddCheck<AuditHealthCheck>(AuditHealthCheck.Name, tags: [RuleSetHealthCheck.Tag]);
        return services;
    }

    private static AuditChainWriterOptions WriterOptions(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<AuditOptions>>().Value;
        var ids = services.GetRequiredService<IDecisionIdSource>();
        return new AuditChainWriterOptions
        {
            CommitStallTimeout = TimeSpan.FromSeconds(options.CommitStallSeconds),
            FailureLogInterval = TimeSpan.FromSeconds(options.FailureLogIntervalSeconds),
            TimeProvider = services.GetRequiredService<TimeProvider>(),
            OutageEntry = outage => new OutageEntry(ids.Next(), outage),
        };
    }
}
