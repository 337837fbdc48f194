using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>
/// Collects every log entry of a host or CLI run. <see cref="AssertNoUnexpectedErrors"/> fails the test when anything
/// was logged at Error or above that the test did not declare with <see cref="Expect"/>.
/// </summary>
public sealed class TestLogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private readonly ConcurrentBag<Func<LogEntry, bool>> _expected = [];

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>
    /// Entries below this level are not kept (default: every entry). Long runs keep only warnings and errors, so the
    /// process's memory measures the host, not this sink.
    /// </summary>
    public LogLevel Retained { get; set; } = LogLevel.Trace;

    /// <summary>Declares an error the test provokes on purpose (matched on category and message).</summary>
    public void Expect(string categoryPrefix, string? messageContains = null) =>
        _expected.Add(e => e.Category.StartsWith(categoryPrefix, StringComparison.Ordinal)
            && (messageContains is null || e.Message.Contains(messageContains, StringComparison.Ordinal)));

    public void AssertNoUnexpectedErrors()
    {
        var unexpected = _entries.Where(e => e.Level >= LogLevel.Error && !_expected.Any(x => x(e))).ToArray();
        Assert.True(unexpected.Length == 0, "Unexpected errors were logged:\n" + string.Join("\n", unexpected.Select(e => e.ToString())));
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)
    {
        public override string ToString() => $"{Level} {Category}[{EventId.Id}]: {Message}{(Exception is null ? "" : "\n" + Exception)}";
    }

    private sealed class Logger(TestLogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= sink.Retained)
            {
                sink._entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception));
            }
        }
    }
}
