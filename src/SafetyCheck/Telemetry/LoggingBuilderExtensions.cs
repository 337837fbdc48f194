using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Configuration;
using Microsoft.Extensions.Logging.Console;

namespace SafetyCheck.Telemetry;

internal static class LoggingBuilderExtensions
{
    /// <summary>
    /// One-line console logs, all of them on stderr (stdout belongs to the verbs' data, <c>eval</c>'s JSON), written in
    /// batches by <see cref="StderrLoggerProvider"/>: the console logger's formatters and <c>Logging:Console</c>
    /// settings, without a system call and a thread wake-up per line. <c>Logging:Console:FormatterName</c> picks the
    /// format (<c>simple</c>, the default, one line with a UTC timestamp; <c>json</c>, one JSON object a line with the
    /// message's properties under <c>State</c>; <c>systemd</c>).
    /// </summary>
    public static ILoggingBuilder AddSafetyCheckConsole(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);

        // The console logger registers the formatters and binds their options (Logging:Console, with FormatterName and
        // FormatterOptions); its own provider is then replaced. AddSimpleConsole would also pin FormatterName to
        // "simple" after the configuration is bound, so that Logging:Console:FormatterName=json had no effect: the
        // simple format's settings are made on its own options instead, and the provider falls back to it when no
        // formatter is named.
        logging.AddConsole();
        logging.Services.Configure<SimpleConsoleFormatterOptions>(o =>
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
