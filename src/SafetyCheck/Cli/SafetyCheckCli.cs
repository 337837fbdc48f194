namespace SafetyCheck.Cli;

/// <summary>
/// The <c>safetycheck</c> command line: thin verbs over the same composition root. A command line the parser refuses
/// exits 2 with one line, whichever the verb (<see cref="BadCommandLine"/>).
/// </summary>
internal static class SafetyCheckCli
{
    public static RootCommand Create(CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var root = new RootCommand("""
            SafetyCheck: is this massage session suitable for this child, and what must the therapist do differently?
            Evaluates the clinician-edited rules under rules/ over a child's age, gestation, coded conditions and the
            planned session.

            Examples:
              safetycheck serve                         run the gRPC service on http://127.0.0.1:5080
              safetycheck eval seeds/term-newborn.json  one decision as protobuf JSON
              safetycheck check                         strict load of rules/ (file:line:col diagnostics)
              safetycheck test                          run the rule cases: 'N passed, N failed'
              safetycheck fmt --check                   are the rule files in the canonical layout?
              safetycheck report --output report.html   the traceability report a safety officer signs off
              safetycheck impact --rules edited/rules   what an edit would change in the recorded decisions
              safetycheck audit verify                  recompute the audit chain (see audit --help)
              safetycheck key --name app --role clinical-app   a new API key and its configuration
              safetycheck terminology expand --server URL    regenerate the SNOMED CT expansions from a FHIR server

            A bad command line (an unknown verb or option, a missing or bad value) exits 2 with one line, whatever
            the verb; each verb's --help (or 'safetycheck help VERB') lists its other exit codes.
            """)
        {
            ServeCommand.Create(environment),
            EvalCommand.Create(environment),
            CheckCommand.Create(environment),
            TestCommand.Create(environment),
            FmtCommand.Create(),
            ReportCommand.Create(environment),
            ImpactCommand.Create(environment),
            AuditCommand.Create(),
            KeyCommand.Create(),
            TerminologyCommand.Create(),
            HelpCommand(),
        };
        BadCommandLine.ReportFor(root);
        return root;
    }

    /// <summary><c>help [VERB...]</c>: the same as <c>VERB... --help</c>.</summary>
    private static Command HelpCommand()
    {
        var verbs = new Argument<string[]>("VERB")
        {
            Description = "The verb whose help to show (audit verify: two words).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("help", "Shows the help of VERB, as 'safetycheck VERB --help' does: safetycheck help audit verify.")
        {
            verbs,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var words = parse.GetValue(verbs) ?? [];
            if (UnknownVerb(parse.RootCommandResult.Command, words) is { } problem)
            {
                // Asked for the help of a verb that does not exist: a bad command line, not the root's help with exit 0.
                return await BadCommandLine.RejectAsync(parse, problem).ConfigureAwait(false);
            }

            return await parse.RootCommandResult.Command.Parse([.. words, "--help"]).InvokeAsync(parse.InvocationConfiguration, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>
    /// The problem with <paramref name="words"/> as a verb path under <paramref name="root"/> ('audit verify'), naming the
    /// first word that is no verb there and the verbs that are; null when every word is a verb.
    /// </summary>
    private static string? UnknownVerb(Command root, IReadOnlyList<string> words)
    {
        var command = root;
        foreach (var word in words)
        {
            var next = command.Subcommands.FirstOrDefault(c => c.Name == word || c.Aliases.Contains(word));
            if (next is null)
            {
                var where = ReferenceEquals(command, root) ? "" : $" of '{command.Name}'";
                var known = command.Subcommands.Count == 0
                    ? $"'{command.Name}' has no verbs under it"
                    : "the verbs are " + string.Join(", ", command.Subcommands.Select(c => c.Name));
                return $"'{word}' is not a verb{where}: {known}.";
            }

            command = next;
        }

        return null;
    }
}
