using SafetyCheck.Decisions;
using SafetyCheck.Grpc;
using SafetyCheck.Hosting;
using SafetyCheck.Rules;

namespace SafetyCheck.Cli;

/// <summary><c>eval [--rules DIR] FILE|-</c>: one decision, exactly as the service would answer it.</summary>
internal static class EvalCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var rules = CliOptions.Rules();
        var file = new Argument<string>("FILE")
        {
            Description = "A CheckRequest in protobuf JSON; - reads stdin.",
        };
        var command = new Command("eval", """
            Decides one request: reads a CheckRequest in protobuf JSON from FILE (or stdin with -) and prints the
            CheckResponse in protobuf JSON on stdout. Logs and errors go to stderr only.

            Example:
              safetycheck eval --rules rules seeds/toddler-with-eczema.json
              echo '{"patient":{"birthDate":"2025-01-10"},"session":{"scheduledAt":"2025-03-01T10:00:00Z"}}' | safetycheck eval -

            Exit codes: 0 decided; 2 invalid request (unparsable JSON, or one 'field: description' line per
            violation on stderr); 1 cannot run (unreadable file, invalid rule set).
            """)
        {
            rules,
            file,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(environment, parse, parse.GetValue(rules), parse.GetValue(file)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment environment, ParseResult parse, string? rulesFlag, string file, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;

        string json;
        try
        {
            json = file == "-"
                ? await environment.Input.ReadToEndAsync(cancellationToken).ConfigureAwait(false)
                : await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"cannot read {file}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.CannotRun;
        }

        // The request is read before the rule set is loaded: a typo in it is reported at once.
        Protos.V1.CheckRequest request;
        try
        {
            request = ProtoJson.ParseRequest(json);
        }
        catch (FormatException ex)
        {
            var source = file == "-" ? "stdin" : file;
            await error.WriteLineAsync($"{source}: not a CheckRequest in protobuf JSON: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        var configuration = SafetyCheckConfiguration.Build();
        var directory = RulesDirectory.Resolve(rulesFlag, configuration);
        await using var services = CliServices.Build(environment, configuration);
        var load = services.GetRequiredService<RuleSetProvider>().Load(directory);
        if (!load.Succeeded)
        {
            RuleSetReport.WriteDiagnostics(error, directory, load.Diagnostics);
            return ExitCodes.CannotRun;
        }

        var reply = await services.GetRequiredService<CheckResponder>().RespondAsync(request, caller: null, cancellationToken).ConfigureAwait(false);
        if (reply.Response is null)
        {
            foreach (var violation in reply.Violations)
            {
                await error.WriteLineAsync($"{violation.Field}: {violation.Description}").ConfigureAwait(false);
            }

            return reply.IsUnavailable ? ExitCodes.CannotRun : ExitCodes.Rejected;
        }

        await output.WriteLineAsync(ProtoJson.Format(reply.Response)).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
