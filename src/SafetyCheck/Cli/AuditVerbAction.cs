using System.CommandLine.Invocation;

namespace SafetyCheck.Cli;

/// <summary>
/// The action of every <c>audit</c> verb. It runs even when the command line has errors (<see cref="ClearsParseErrors"/>),
/// so that a bad argument — an unknown option, a missing value, a missing ID — is reported by the verb with the audit
/// verbs' exit code 2 rather than the parser's 1.
/// </summary>
/// <param name="run">The verb.</param>
/// <param name="prefix">What comes between <c>safetycheck</c> and the verb's name in the help hint: <c>audit </c> for the audit verbs.</param>
internal sealed class AuditVerbAction(Func<ParseResult, CancellationToken, Task<int>> run, string prefix = "audit ") : AsynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var problems = parseResult.Errors.Select(e => e.Message)
            .Concat(parseResult.UnmatchedTokens.Select(t => $"Unrecognized command or argument '{t}'."))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        if (problems.Length == 0)
        {
            return await run(parseResult, cancellationToken).ConfigureAwait(false);
        }

        var error = parseResult.InvocationConfiguration.Error;
        foreach (var problem in problems)
        {
            await error.WriteLineAsync(problem).ConfigureAwait(false);
        }

        await error.WriteLineAsync($"see: safetycheck {prefix}{parseResult.CommandResult.Command.Name} --help").ConfigureAwait(false);
        return ExitCodes.Rejected;
    }
}
