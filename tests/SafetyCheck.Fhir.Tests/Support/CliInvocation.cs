using System.CommandLine;
using Microsoft.Extensions.Logging;
using SafetyCheck.Cli;
using SafetyCheck.Hosting;

namespace SafetyCheck.Fhir.Tests.Support;

/// <summary>One in-process run of the command line; logs are dropped, stdout and stderr captured.</summary>
public sealed record CliInvocation(int ExitCode, string Output, string Error)
{
    public static async Task<CliInvocation> RunAsync(params string[] args)
    {
        var environment = new CliEnvironment
        {
            Input = new StringReader(""),
            ConfigureLogging = logging => logging.ClearProviders(),
            Composition = SafetyCheckComposition.Instance,
        };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await SafetyCheckCli.Create(environment).Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return new CliInvocation(exit, output.ToString(), error.ToString());
    }

    /// <summary>The stderr lines that are not log lines.</summary>
    public IReadOnlyList<string> ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
