using SafetyCheck.Check;
using SafetyCheck.Core.Facts;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Validation;
using SafetyCheck.Grpc;
using SafetyCheck.RuleSets;

namespace SafetyCheck.Cli;

/// <summary><c>eval [--rules DIR] FILE|-</c> or <c>eval --fhir FILE|- [session flags]</c>: one decision, exactly as the service would answer it.</summary>
internal static class EvalCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var rules = CliOptions.Rules();
        var file = CliOptions.NotEmptyArgument(new Argument<string?>("FILE")
        {
            Description = "A CheckRequest in protobuf JSON; - reads stdin.",
            Arity = ArgumentArity.ZeroOrOne,
        });
        var fhir = new EvalFhirOptions();
        var verbose = CliOptions.Verbose();
        var command = new Command("eval", """
            Decides one request: reads a CheckRequest in protobuf JSON from FILE (or stdin with -) and prints the
            CheckResponse in protobuf JSON on stdout. Errors go to stderr; log lines too, with --verbose only.

            With --fhir, reads FHIR R4 JSON instead (a Bundle, or a CDS Hooks prefetch object) holding the child's
            Patient, Conditions and Observations, takes the planned session from the flags below, and prints the same
            CheckResponse. Everything in the FHIR input the check did not use goes to stderr, one line each:
            'ignored: PATH: why'.

            Example:
              safetycheck eval --rules rules seeds/toddler-with-eczema.json
              echo '{"patient":{"birthDate":"2025-01-10"},"session":{"scheduledAt":"2025-03-01T10:00:00Z"}}' | safetycheck eval -
              safetycheck eval --fhir seeds/fhir/toddler-eczema-bundle.json --at 2026-03-02T10:00:00Z \
                --time-zone Europe/London --setting HOME --pressure LIGHT --areas BACK,ARMS,LEGS

            Exit codes: 0 decided; 2 invalid request (unparsable JSON, or one 'field: description' line per
            violation on stderr; with --fhir the fields are FHIR elements such as Patient.birthDate, or the flag);
            1 cannot run (unreadable file, invalid rule set); 2 also a bad argument (an unknown option, a missing or
            bad value, an option given twice, neither FILE nor --fhir, or FILE with --fhir or its session flags).
            """)
        {
            rules,
            file,
            verbose,
        };
        fhir.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var request = parse.GetValue(file);
            var fhirFile = parse.GetValue(fhir.File);
            if ((request is null) == (fhirFile is null) || (request is not null && fhir.SessionFlagsGiven(parse)))
            {
                return BadCommandLine.RejectAsync(parse, request is null && fhirFile is null
                    ? "eval: give FILE (a CheckRequest) or --fhir FILE"
                    : "eval: FILE takes a CheckRequest; --fhir, --at, --time-zone, --setting, --areas, --pressure and --medical-release go together");
            }

            return fhirFile is not null
                ? EvalFhir.RunAsync(environment, parse, parse.GetValue(rules), fhirFile, fhir, cancellationToken)
                : RunAsync(environment, parse, parse.GetValue(rules), request!, cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// The text of FILE, or of stdin for <c>-</c>; otherwise the exit code, reported: <see cref="ExitCodes.CannotRun"/>
    /// when it cannot be read, <see cref="ExitCodes.Rejected"/> when a file is not UTF-8 text (read with the usual
    /// replacement of bad bytes, a string would not say what the caller wrote), at its first bad byte; likewise stdin,
    /// when the environment reads it strictly (<see cref="CliEnvironment.StrictUtf8Reader"/>).
    /// </summary>
    internal static async Task<(string? Text, int Exit)> ReadInputAsync(CliEnvironment environment, TextWriter error, string file, CancellationToken cancellationToken, string? option = null)
    {
        try
        {
            if (file == "-")
            {
                return (await environment.Input.ReadToEndAsync(cancellationToken).ConfigureAwait(false), ExitCodes.Ok);
            }

            var content = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            if (RuleFileText.NotUtf8(file, content) is { } notText)
            {
                await error.WriteLineAsync(notText.ToString()).ConfigureAwait(false);
                return (null, ExitCodes.Rejected);
            }

            return (RuleFileText.Decode(content), ExitCodes.Ok);
        }
        catch (System.Text.DecoderFallbackException ex)
        {
            await error.WriteLineAsync($"stdin: the input is not UTF-8 text: byte 0x{ex.BytesUnknown?.FirstOrDefault():X2} is not valid UTF-8 (send UTF-8)").ConfigureAwait(false);
            return (null, ExitCodes.Rejected);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync(UnreadableFile.Message(option, file, ex)).ConfigureAwait(false);
            return (null, ExitCodes.CannotRun);
        }
    }

    /// <summary>The services with the rule set loaded; null (diagnostics written) when it does not load.</summary>
    internal static ServiceProvider? LoadRules(CliEnvironment environment, TextWriter error, string? rulesFlag, bool verbose)
    {
        if (TimeZoneData.Problem() is { } noZones)
        {
            error.WriteLine($"cannot run: {noZones}");
            return null;
        }

        var configuration = SafetyCheckConfiguration.Build();
        var directory = RulesDirectory.Resolve(rulesFlag, configuration);
        var services = environment.Composition.BuildServices(configuration, environment, verbose);
        var load = services.GetRequiredService<RuleSetProvider>().Load(directory);
        if (load.Succeeded)
        {
            return services;
        }

        RuleSetReport.WriteDiagnostics(error, directory, load.Diagnostics);
        services.Dispose();
        return null;
    }

    /// <summary>
    /// Writes the outcome: a decision's response on stdout (exit 0); each violation, renamed by <paramref name="fieldOf"/>,
    /// on stderr (exit 2); why nothing could be decided on stderr (exit 1).
    /// </summary>
    internal static Task<int> WriteOutcomeAsync(ParseResult parse, DecisionOutcome outcome, bool explain, Func<FieldViolation, FieldViolation> fieldOf)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        return outcome.Match(
            async decided =>
            {
                await output.WriteLineAsync(ProtoJson.Format(ProtoMapper.ToResponse(decided, explain))).ConfigureAwait(false);
                return ExitCodes.Ok;
            },
            async rejected =>
            {
                foreach (var violation in rejected.Violations.Select(fieldOf))
                {
                    await error.WriteLineAsync($"{violation.Field}: {violation.Description}").ConfigureAwait(false);
                }

                return ExitCodes.Rejected;
            },
            async unavailable =>
            {
                await error.WriteLineAsync(unavailable.Message).ConfigureAwait(false);
                return ExitCodes.CannotRun;
            });
    }

    private static async Task<int> RunAsync(CliEnvironment environment, ParseResult parse, string? rulesFlag, string file, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        var (json, exit) = await ReadInputAsync(environment, error, file, cancellationToken).ConfigureAwait(false);
        if (json is null)
        {
            return exit;
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

        await using var services = LoadRules(environment, error, rulesFlag, parse.GetValue<bool>(CliOptions.VerboseName));
        if (services is null)
        {
            return ExitCodes.CannotRun;
        }

        var outcome = await services.GetRequiredService<DecisionPipeline>().DecideAsync(ProtoMapper.ToUnvalidated(request), Caller.Anonymous, cancellationToken).ConfigureAwait(false);
        return await WriteOutcomeAsync(parse, outcome, request.Explain, v => v).ConfigureAwait(false);
    }
}
