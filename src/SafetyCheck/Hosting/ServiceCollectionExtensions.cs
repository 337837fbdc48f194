using Microsoft.Extensions.DependencyInjection.Extensions;
using SafetyCheck.Audit;
using SafetyCheck.Check;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.RuleSuite;
using SafetyCheck.Grpc;
using SafetyCheck.RuleSets;
using SafetyCheck.Security;

namespace SafetyCheck.Hosting;

internal static class ServiceCollectionExtensions
{
    /// <summary>
    /// The composition root shared by <c>serve</c>, <c>eval</c>, <c>check</c> and <c>test</c>: the decision pipeline
    /// over its ports (the clock, decision ids, the served rule revision, a recorder that records nothing until the
    /// audit trail replaces it) and the rule-suite runner.
    /// </summary>
    public static IServiceCollection AddSafetyCheckEvaluation(this IServiceCollection services)
    {
        services.AddOptions<SafetyCheckOptions>()
            .BindSection(SafetyCheckOptions.Section)
            .Validate(o => o.EvaluationBudgetMilliseconds >= 0, "SafetyCheck:EvaluationBudgetMilliseconds must be 0 (no budget) or more.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDecisionIdSource, UuidV7DecisionIdSource>();
        services.TryAddSingleton<RuleSetProvider>();
        services.TryAddSingleton<IRuleRevisionSource>(sp => sp.GetRequiredService<RuleSetProvider>());
        services.TryAddSingleton<IDecisionRecorder, NonRecordingRecorder>();
        services.TryAddSingleton<DecisionPipeline>();
        services.TryAddSingleton<IRequestJsonReader, ProtoRequestJsonReader>();
        services.TryAddSingleton<RuleSuiteRunner>();
        return services;
    }

    /// <summary>The gRPC front end: service, error mapping, health, reflection, rule loading at start (limits: <c>AddSafetyCheckLimits</c>).</summary>
    public static IServiceCollection AddSafetyCheckGrpc(this IServiceCollection services, SafetyCheckHostOptions hostOptions)
    {
        ArgumentNullException.ThrowIfNull(hostOptions);
        services.AddSafetyCheckEvaluation();
        services.AddSingleton(new RuleSetLoadingOptions
        {
            Directory = hostOptions.RulesDirectory ?? throw new InvalidOperationException("The rule directory is resolved by SafetyCheckHost.CreateBuilder."),
            LoadOnStart = hostOptions.LoadRulesOnStart,
            StopWhenInvalid = hostOptions.StopWhenRulesInvalid,
        });
        services.AddSingleton(new DevelopmentKeyOptions { Directory = hostOptions.DevelopmentKeyDirectory });
        services.AddSingleton(new AuditVerificationOptions { StopWhenChainBroken = hostOptions.StopWhenAuditChainBroken });
        services.AddSingleton<ErrorMappingInterceptor>();
        services.AddGrpc(o => o.Interceptors.Add<ErrorMappingInterceptor>());
        services.AddGrpcReflection();

        // grpc.health.v1.Health is the service's own (Grpc/HealthService): Check and Watch both run these checks when
        // asked, so that a watcher sees what Check would answer.
        services.TryAddSingleton<HealthRuns>();
        services.AddHealthChecks()
            .AddCheck<RuleSetHealthCheck>("rule-set", tags: [RuleSetHealthCheck.Tag]);

        services.AddHostedService<RuleSetLoadingService>();
        services.AddOptions<RuleReloadOptions>()
            .BindSection(RuleReloadOptions.Section)
            .Validate(o => o.DebounceMilliseconds is >= 50 and <= 60_000, "SafetyCheck:Reload:DebounceMilliseconds must be 50-60000.")
            .Validate(o => o.PollSeconds is >= 0 and <= 3600, "SafetyCheck:Reload:PollSeconds must be 0 (no polling) to 3600.")
            .ValidateOnStart();
        services.AddSingleton<RuleReloader>();
        services.AddHostedService<RuleDirectoryWatcher>();
        services.AddSafetyCheckAudit();
        return services;
    }
}
