using SafetyCheck.Hosting;

namespace SafetyCheck.Cli;

/// <summary>The composition root for the verbs that need no web host (eval, check, test).</summary>
internal static class CliServices
{
    public static ServiceProvider Build(CliEnvironment environment, IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(logging =>
        {
            logging.AddConfiguration(configuration.GetSection("Logging"));
            environment.ConfigureLogging(logging);
        });
        services.AddSafetyCheckEvaluation();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
