using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace SafetyCheck.Telemetry;

/// <summary>
/// The console logger of the host and the verbs, writing to stderr through <see cref="StderrLogWriter"/>: each line is
/// formatted on the caller's thread by the configured console formatter (<c>Logging:Console:FormatterName</c>, default
/// the one-line simple format; <c>json</c> and <c>systemd</c> work too) into a buffer of that thread, then handed to the
/// writer, which writes many lines at once. Its alias is <c>Console</c>, so <c>Logging:Console:*</c> settings apply.
/// </summary>
[ProviderAlias("Console")]
internal sealed class StderrLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    [ThreadStatic]
    private static StringWriter? t_buffer;

    private readonly IOptionsMonitor<ConsoleLoggerOptions> _options;
    private readonly Dictionary<string, ConsoleFormatter> _formatters;
    private readonly StderrLogWriter _writer;
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public StderrLoggerProvider(IOptionsMonitor<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters)
        : this(options, formatters, Console.OpenStandardError())
    {
    }

    /// <summary>A provider writing to <paramref name="output"/> instead of stderr (tests).</summary>
    internal StderrLoggerProvider(IOptionsMonitor<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters, Stream output)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(formatters);
        _options = options;
        _formatters = formatters.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        _writer = new StderrLogWriter(output);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    /// <summary>Writes every line still waiting.</summary>
    public void Dispose() => _writer.Dispose();

    private ConsoleFormatter Formatter() =>
        _formatters.TryGetValue(_options.CurrentValue.FormatterName ?? ConsoleFormatterNames.Simple, out var formatter)
            ? formatter
            : _formatters[ConsoleFormatterNames.Simple];

    private sealed class Logger(StderrLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var buffer = t_buffer ??= new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            var text = buffer.GetStringBuilder();
            text.Clear();
            provider.Formatter().Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), provider._scopes, buffer);
            if (text.Length > 0)
            {
                provider._writer.Append(text);
            }

            // A huge entry (a long stack trace) should not pin its buffer to the thread.
            if (text.Capacity > 16 * 1024)
            {
                t_buffer = null;
            }
        }
    }
}
