using System.CommandLine;
using Microsoft.Extensions.Logging;
using SafetyCheck.Cli;
using SafetyCheck.Hosting;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>One in-process run of the <c>safetycheck</c> command line with captured stdout, stderr and logs.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error, TestLogSink Logs)
{
    public static Task<CliRun> InvokeAsync(string[] args, string stdin = "", bool colour = false) =>
        InvokeAsync(args, new StringReader(stdin), colour);

    /// <summary>A run whose stdin is <paramref name="stdin"/>'s bytes, read as <c>safetycheck</c> reads its stdin.</summary>
    public static Task<CliRun> InvokeAsync(string[] args, byte[] stdin) =>
        InvokeAsync(args, CliEnvironment.StrictUtf8Reader(new MemoryStream(stdin)), colour: false);

    private static async Task<CliRun> InvokeAsync(string[] args, TextReader stdin, bool colour)
    {
        var logs = new TestLogSink();
        var environment = new CliEnvironment
        {
            Input = stdin,
            ConfigureLogging = logging => logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug),
            Composition = SafetyCheckComposition.Instance,
            Colours = colour ? new TerminalColours(true, true) : TerminalColours.None,
        };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await SafetyCheckCli.Create(environment).Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return new CliRun(exit, output.ToString(), error.ToString(), logs);
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
