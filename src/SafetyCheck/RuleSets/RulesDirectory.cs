namespace SafetyCheck.RuleSets;

/// <summary>Where the rule set is: a flag wins over configuration, which wins over the default <c>rules</c>.</summary>
internal static class RulesDirectory
{
    /// <summary>The absolute rule directory; a relative path is taken from the current directory, not the content root.</summary>
    public static string Resolve(string? flag, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration[$"{SafetyCheckOptions.Section}:{nameof(SafetyCheckOptions.Rules)}"];
        var directory = !string.IsNullOrWhiteSpace(flag) ? flag
            : !string.IsNullOrWhiteSpace(configured) ? configured
            : "rules";
        return Path.GetFullPath(directory, Environment.CurrentDirectory);
    }
}
