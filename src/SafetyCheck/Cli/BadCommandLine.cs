using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace SafetyCheck.Cli;

/// <summary>
/// A command line the parser refuses (an unknown option or command, a missing or malformed value, a missing required
/// option, a group such as <c>audit</c> without its verb) exits 2, <see cref="ExitCodes.Rejected"/>, with one line
/// naming the first problem and one naming the help to read, on stderr and nothing on stdout:
/// <code>
/// Unrecognized command or argument '--bogus'.
/// see: safetycheck report --help
/// </code>
/// System.CommandLine's own handling prints the whole help and exits 1, which is every verb's "cannot run" and, for
/// <c>fmt --check</c>, "files differ". <c>--help</c> and <c>--version</c> are unaffected: their actions take precedence.
/// </summary>
internal static class BadCommandLine
{
    /// <summary>
    /// Gives <paramref name="command"/> and every command under it an action that reports a bad command line as above
    /// and otherwise runs the command's own action (a command without one, such as <c>audit</c>, is then missing its verb).
    /// </summary>
    /// <remarks>
    /// The action clears the parser's errors (<see cref="CommandLineAction.ClearsParseErrors"/>), which drops those
    /// attached to the command itself: unknown tokens, which it recovers from <see cref="ParseResult.UnmatchedTokens"/>,
    /// and a command validator's, so no command may have one (an option's or argument's validator is fine).
    /// </remarks>
    public static void ReportFor(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Validators.Count > 0)
        {
            throw new InvalidOperationException($"command '{command.Name}' has a validator, whose errors a bad-command-line action would drop; validate an option or argument instead");
        }

        if (command.Action is not ReportingAction)
        {
            command.Action = new ReportingAction(command.Action);
        }

        foreach (var subcommand in command.Subcommands)
        {
            ReportFor(subcommand);
        }
    }

    /// <summary>
    /// Reports problems a verb finds in its own arguments (a value the parser cannot require or check, such as a
    /// missing <c>--output</c> or a malformed time) as the parser's are: each problem on its line, then the help to
    /// read; returns <see cref="ExitCodes.Rejected"/>.
    /// </summary>
    public static async Task<int> RejectAsync(ParseResult parse, params IEnumerable<string> problems)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(problems);
        var error = parse.InvocationConfiguration.Error;
        foreach (var problem in problems)
        {
            await error.WriteLineAsync(problem).ConfigureAwait(false);
        }

        await error.WriteLineAsync($"see: {CommandPath(parse)} --help").ConfigureAwait(false);
        return ExitCodes.Rejected;
    }

    /// <summary>The first problem with the command line, on one line, or null when there is none.</summary>
    internal static string? FirstProblem(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (OptionTakenAsArgument(parse) is { } option)
        {
            return $"Unrecognized command or argument '{option}'.";
        }

        if (parse.Errors.Count > 0)
        {
            return OneLine(parse.Errors[0]);
        }

        return parse.UnmatchedTokens.Count > 0 ? $"Unrecognized command or argument '{parse.UnmatchedTokens[0]}'." : null;
    }

    /// <summary>
    /// A command's argument (eval's FILE, audit show's ID) that looks like an option: it starts with '-', is not '-'
    /// alone (stdin) and does not follow '--'. The parser takes an unknown option such as <c>eval --bogus seed.json</c>'s
    /// as the argument, which would otherwise be read as a file name or refused as an ID.
    /// </summary>
    private static string? OptionTakenAsArgument(ParseResult parse)
    {
        var arguments = parse.CommandResult.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens).ToList();
        foreach (var token in parse.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
            {
                return null;
            }

            if (token.Value.Length > 1 && token.Value[0] == '-' && arguments.Exists(a => ReferenceEquals(a, token)))
            {
                return token.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// <paramref name="error"/> on one line, prefixed with the option's name when the message does not say it:
    /// <c>--format: Argument 'x' not recognized. Must be one of: 'text', 'json', 'sarif'</c>.
    /// </summary>
    private static string OneLine(ParseError error)
    {
        var lines = error.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var message = lines.Length switch
        {
            0 => "the command line is not valid.",
            1 => lines[0],
            _ => $"{lines[0]} {string.Join(", ", lines[1..])}",
        };
        var option = error.SymbolResult switch
        {
            OptionResult o => o.Option,
            ArgumentResult { Parent: OptionResult o } => o.Option,
            _ => null,
        };
        return option is null || message.Contains(option.Name, StringComparison.Ordinal) ? message : $"{option.Name}: {message}";
    }

    /// <summary><c>safetycheck</c> and the verbs that lead to the command that was parsed: <c>safetycheck audit list</c>.</summary>
    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is CommandResult parent; result = parent)
        {
            names.Add(result.Command.Name);
        }

        names.Add("safetycheck");
        names.Reverse();
        return string.Join(' ', names);
    }

    private sealed class ReportingAction(CommandLineAction? action) : AsynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(parseResult);
            var problem = FirstProblem(parseResult) ?? (action is null ? "Required command was not provided." : null);
            if (problem is null)
            {
                return action switch
                {
                    AsynchronousCommandLineAction asynchronous => await asynchronous.InvokeAsync(parseResult, cancellationToken).ConfigureAwait(false),
                    SynchronousCommandLineAction synchronous => synchronous.Invoke(parseResult),
                    _ => throw new InvalidOperationException($"unexpected kind of action: {action?.GetType()}"),
                };
            }

            return await RejectAsync(parseResult, problem).ConfigureAwait(false);
        }
    }
}
