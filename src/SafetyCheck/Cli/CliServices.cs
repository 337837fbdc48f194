using Microsoft.Extensions.Logging.Console;
using SafetyCheck.Hosting;

namespace SafetyCheck.Cli;

/// <summary>The composition root for the verbs that need no web host (eval, check, test, report).</summary>
internal static class CliServices
{
    /// <summary>
    /// The services; the console shows log lines only when <paramref name="verbose"/> (the authoring verbs print
    /// their results alone otherwise). Other log providers (a test's sink) keep every line either way.
    /// </summary>
    public static ServiceProvider Build(CliEnvironment environment, IConfiguration configuration, bool verbose)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(logging =>
        {
            logging.AddConfiguration(configuration.GetSection("Logging"));
            environment.ConfigureLogging(logging);
            if (!verbose)
            {
                logging.AddFilter<ConsoleLoggerProvider>(category: null, LogLevel.None);
            }
        });
        services.AddSafetyCheckEvaluation();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
