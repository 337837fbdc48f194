using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using SafetyCheck.Telemetry;

namespace SafetyCheck.IntegrationTests.Telemetry;

public sealed class StderrLoggerProviderTests
{
    private static readonly Action<ILogger, int, Exception?> Line = LoggerMessage.Define<int>(LogLevel.Information, 0, "line {Number}");

    private static readonly Action<ILogger, int, int, string, Exception?> ThreadLine =
        LoggerMessage.Define<int, int, string>(LogLevel.Information, 0, "thread {Thread} line {Number} {Padding}");

    private static readonly string Padding = new('x', 300);

    [Fact]
    public void Log_Lines_WrittenInOrderInTheOneLineFormatOnceDisposed()
    {
        var output = new MemoryStream();
        using (var provider = Provider(output))
        {
            var log = provider.CreateLogger("SafetyCheck.Tests");
            for (var i = 0; i < 500; i++)
            {
                Line(log, i, null);
            }
        }

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(500, lines.Length);
        Assert.All(lines.Select((line, i) => (line, i)), x => Assert.Matches($@"^\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{3}}Z info: SafetyCheck\.Tests\[0\] line {x.i}$", x.line));
    }

    [Fact]
    public void Log_JsonFormatterConfigured_WritesJsonLines()
    {
        var output = new MemoryStream();
        using (var provider = Provider(output, o => o.FormatterName = ConsoleFormatterNames.Json))
        {
            LoggerMessage.Define<string>(LogLevel.Warning, 0, "no rule set {Name}")(provider.CreateLogger("SafetyCheck.Tests"), "synthetic", null);
        }

        var line = Encoding.UTF8.GetString(output.ToArray()).Trim();
        using var json = System.Text.Json.JsonDocument.Parse(line);
        Assert.Equal("Warning", json.RootElement.GetProperty("LogLevel").GetString());
        Assert.Equal("no rule set synthetic", json.RootElement.GetProperty("Message").GetString());
    }

    [Fact]
    public void Log_JsonFormatterNamedInConfiguration_DecisionLineIsJsonWithIdAndRevision()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:Console:FormatterName"] = "json" })
            .Build();
        var services = new ServiceCollection()
            .AddLogging(b => b.AddConfiguration(configuration.GetSection("Logging")).AddSafetyCheckConsole())
            .BuildServiceProvider();
        var output = new MemoryStream();
        using (var provider = new StderrLoggerProvider(services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), services.GetServices<ConsoleFormatter>(), output))
        {
            LoggerMessage.Define<string, string>(LogLevel.Information, 101, "Decision {DecisionId}: revision {Revision}")(
                provider.CreateLogger("SafetyCheck.Core.Pipeline.DecisionPipeline"), "0193aaaa-0000-7000-8000-000000000001", "abc123", null);
        }

        using var json = System.Text.Json.JsonDocument.Parse(Encoding.UTF8.GetString(output.ToArray()).Trim());
        var state = json.RootElement.GetProperty("State");
        Assert.Equal("0193aaaa-0000-7000-8000-000000000001", state.GetProperty("DecisionId").GetString());
        Assert.Equal("abc123", state.GetProperty("Revision").GetString());
    }

    [Fact]
    public void Log_ManyThreadsFasterThanTheOutput_EveryLineArrivesWhole()
    {
        var output = new SlowStream();
        const int Threads = 4;
        const int PerThread = 3000;
        using (var provider = Provider(output))
        {
            Parallel.For(0, Threads, t =>
            {
                var log = provider.CreateLogger("SafetyCheck.Tests");
                for (var i = 0; i < PerThread; i++)
                {
                    ThreadLine(log, t, i, Padding, null);
                }
            });
        }

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Threads * PerThread, lines.Length);
        for (var t = 0; t < Threads; t++)
        {
            var numbers = lines.Where(l => l.Contains($" thread {t} line ", StringComparison.Ordinal))
                .Select(l => int.Parse(l.Split(" line ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(Enumerable.Range(0, PerThread), numbers);
        }

        Assert.True(output.Writes < Threads * PerThread / 10, $"{output.Writes} writes for {Threads * PerThread} lines");
    }

    [Fact]
    public void Append_AfterDispose_IsWrittenAtOnce()
    {
        var output = new MemoryStream();
        var writer = new StderrLogWriter(new NonClosingStream(output));
        writer.Dispose();

        writer.Append(new StringBuilder("late line\n"));

        Assert.Equal("late line\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    private static StderrLoggerProvider Provider(Stream output, Action<ConsoleLoggerOptions>? configure = null)
    {
        var services = new ServiceCollection()
            .AddLogging(b => b.AddSafetyCheckConsole())
            .Configure<ConsoleLoggerOptions>(o => configure?.Invoke(o))
            .BuildServiceProvider();
        return new StderrLoggerProvider(services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), services.GetServices<ConsoleFormatter>(), output);
    }

    /// <summary>A stream that takes 1 ms per write, as a slow terminal or pipe would, and counts the writes.</summary>
    private sealed class SlowStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            Thread.Sleep(1);
            base.Write(buffer, offset, count);
        }
    }

    /// <summary>Keeps the inner stream open when disposed, so a test can write to it afterwards.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
