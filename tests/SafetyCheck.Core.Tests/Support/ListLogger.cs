using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SafetyCheck.Core.Tests.Support;

/// <summary>A logger that keeps every entry, to assert what a component logs (and what it never logs).</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, int EventId, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, int EventId, string Message)> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((logLevel, eventId.Id, formatter(state, exception)));
}
