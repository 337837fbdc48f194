using Microsoft.Extensions.Logging.Console;

namespace SafetyCheck.Telemetry;

internal static class LoggingBuilderExtensions
{
    /// <summary>
    /// One-line console logs, all of them on stderr: stdout belongs to the verbs' data (<c>eval</c>'s JSON).
    /// </summary>
    public static ILoggingBuilder AddSafetyCheckConsole(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        return logging;
    }
}
