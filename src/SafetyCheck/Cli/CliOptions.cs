namespace SafetyCheck.Cli;

/// <summary>Options shared by several verbs (a new instance per command).</summary>
internal static class CliOptions
{
    public static Option<string?> Rules() => new("--rules")
    {
        Description = "The rule directory (default: rules, relative to the current directory; or SafetyCheck:Rules in appsettings.json / SafetyCheck__Rules).",
        HelpName = "DIR",
    };

    /// <summary>The name of <see cref="Verbose"/>, for reading its value where the option object is not at hand.</summary>
    public const string VerboseName = "--verbose";

    /// <summary><c>--verbose</c> of the authoring verbs: their log lines on stderr, which they otherwise leave out.</summary>
    public static Option<bool> Verbose() => new(VerboseName)
    {
        Description = "Also print log lines on stderr (rule set loaded, decisions made); without it only the results are printed.",
    };
}
