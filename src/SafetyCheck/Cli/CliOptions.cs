namespace SafetyCheck.Cli;

/// <summary>Options shared by several verbs (a new instance per command).</summary>
internal static class CliOptions
{
    public static Option<string?> Rules() => new("--rules")
    {
        Description = "The rule directory (default: rules, relative to the current directory; or SafetyCheck:Rules in appsettings.json / SafetyCheck__Rules).",
        HelpName = "DIR",
    };
}
