using SafetyCheck.Cli;
using SafetyCheck.Telemetry;

namespace SafetyCheck.Hosting;

/// <summary>The composition root handed to the command line: the service for <c>serve</c>, the same services for the other verbs.</summary>
internal sealed class SafetyCheckComposition : ICompositionRoot
{
    public static SafetyCheckComposition Instance { get; } = new();

    public WebApplication BuildServer(ServeSettings settings, CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        var builder = SafetyCheckHost.CreateBuilder(settings.ConfigurationArguments, new SafetyCheckHostOptions
        {
            RulesDirectory = settings.RulesDirectory,
            Urls = settings.Urls,
            StopWhenRulesInvalid = true,
            StopWhenAuditChainBroken = true,
            DevelopmentKeyDirectory = settings.DevelopmentKeyDirectory,
        });
        builder.Logging.ClearProviders();
        environment.ConfigureLogging(builder.Logging);

        // Kestrel and gRPC read their options (sized from SafetyCheck:Limits) while the application is built.
        return SafetyCheckHost.Build(builder);
    }

    public ServiceProvider BuildServices(IConfiguration configuration, CliEnvironment environment, bool verbose)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(logging =>
        {
            logging.AddConfiguration(configuration.GetSection("Logging"));
            environment.ConfigureLogging(logging);
            if (!verbose)
            {
                logging.AddFilter<StderrLoggerProvider>(category: null, LogLevel.None);
            }
        });
        services.AddSafetyCheckEvaluation();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
