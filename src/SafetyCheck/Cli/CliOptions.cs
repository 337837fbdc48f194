namespace SafetyCheck.Cli;

/// <summary>Options shared by several verbs (a new instance per command).</summary>
internal static class CliOptions
{
    public static Option<string?> Rules() => NotEmpty(new("--rules")
    {
        Description = "The rule directory (default: rules, relative to the current directory; or SafetyCheck:Rules in appsettings.json / SafetyCheck__Rules).",
        HelpName = "DIR",
    });

    /// <summary>
    /// Refuses an empty value (<c>--audit-db ""</c>, as an unset variable in <c>--audit-db "$AUDIT_DB"</c> gives) as a bad
    /// command line (exit 2) instead of taking it for the option left out, whose default is then used without a word.
    /// </summary>
    /// <param name="option">The option.</param>
    /// <param name="remedy">What to do instead, ending the message (default: give a value, or leave the option out for its default).</param>
    public static Option<string?> NotEmpty(Option<string?> option, string? remedy = null) => NotEmpty<string?>(option, remedy);

    /// <summary>As <see cref="NotEmpty(Option{string?}, string?)"/>, for an option of any type (<c>--role</c>'s list): every value it was given must be non-empty.</summary>
    public static Option<T> NotEmpty<T>(Option<T> option, string? remedy = null)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result =>
        {
            if (HasBlank(result.Tokens))
            {
                result.AddError($"{option.Name}: the value is empty; {remedy ?? $"give a {option.HelpName ?? "value"}, or leave the option out for its default"}");
            }
        });
        return option;
    }

    /// <summary>As <see cref="NotEmpty(Option{string?}, string?)"/>, for a command's argument (eval's FILE): <c>eval ""</c> is refused, exit 2.</summary>
    public static Argument<string?> NotEmptyArgument(Argument<string?> argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        argument.Validators.Add(result =>
        {
            if (HasBlank(result.Tokens))
            {
                result.AddError($"{argument.Name}: the value is empty; give a file name, or - for stdin");
            }
        });
        return argument;
    }

    /// <summary>Whether any value given is empty or white space.</summary>
    public static bool HasBlank(IEnumerable<System.CommandLine.Parsing.Token> tokens) => tokens.Any(t => string.IsNullOrWhiteSpace(t.Value));

    /// <summary>
    /// Accepts only <paramref name="values"/> (offered as completions), refusing another with the wording every verb's
    /// --format uses: <c>--format: 'xml' is not one of text, json, sarif</c>.
    /// </summary>
    public static void OneOf(Option<string> option, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.CompletionSources.Add(values);
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => !values.Contains(t.Value, StringComparer.Ordinal)))
            {
                result.AddError(NotOneOf(option.Name, token.Value, values));
            }
        });
    }

    /// <summary><c>--format: 'xml' is not one of text, json, sarif</c>.</summary>
    public static string NotOneOf(string option, string? value, params string[] values) =>
        $"{option}: '{value}' is not one of {string.Join(", ", values)}";

    /// <summary>The name of <see cref="Verbose"/>, for reading its value where the option object is not at hand.</summary>
    public const string VerboseName = "--verbose";

    /// <summary><c>--verbose</c> of the authoring verbs: their log lines on stderr, which they otherwise leave out.</summary>
    public static Option<bool> Verbose() => new(VerboseName)
    {
        Description = "Also print log lines on stderr (rule set loaded, decisions made); without it only the results are printed.",
    };
}
