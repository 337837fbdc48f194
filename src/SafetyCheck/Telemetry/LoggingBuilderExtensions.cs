using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Configuration;
using Microsoft.Extensions.Logging.Console;

namespace SafetyCheck.Telemetry;

internal static class LoggingBuilderExtensions
{
    /// <summary>
    /// One-line console logs, all of them on stderr (stdout belongs to the verbs' data, <c>eval</c>'s JSON), written in
    /// batches by <see cref="StderrLoggerProvider"/>: the console logger's formatters and <c>Logging:Console</c>
    /// settings, without a system call and a thread wake-up per line.
    /// </summary>
    public static ILoggingBuilder AddSafetyCheckConsole(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);

        // The console logger registers the formatters and binds their options; its own provider is then replaced.
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        foreach (var console in logging.Services.Where(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider)).ToArray())
        {
            logging.Services.Remove(console);
        }

        logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, StderrLoggerProvider>());
        LoggerProviderOptions.RegisterProviderOptions<ConsoleLoggerOptions, StderrLoggerProvider>(logging.Services);
        return logging;
    }
}
