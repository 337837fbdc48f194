namespace SafetyCheck.RuleSets;

/// <summary>Log messages about loading and serving rule sets.</summary>
internal static partial class RulesLog
{
    [LoggerMessage(1, LogLevel.Information, "Loading the rule set in {Directory}")]
    public static partial void Loading(ILogger logger, string directory);

    [LoggerMessage(2, LogLevel.Information, "Loaded rule set {Name} {Version} revision {Revision}: {RuleCount} rules, compiled and warmed in {ElapsedMs} ms")]
    public static partial void Loaded(ILogger logger, string name, string version, string revision, int ruleCount, long elapsedMs);

    [LoggerMessage(3, LogLevel.Warning, "The rule set in {Directory} has {DiagnosticCount} load errors and is not served")]
    public static partial void LoadFailed(ILogger logger, string directory, int diagnosticCount);

    [LoggerMessage(4, LogLevel.Error, "The rule set in {Directory} loaded but its engine could not be built")]
    public static partial void WarmUpFailed(ILogger logger, Exception exception, string directory);

    [LoggerMessage(5, LogLevel.Error, "{Diagnostic}")]
    public static partial void Diagnostic(ILogger logger, string diagnostic);

    [LoggerMessage(6, LogLevel.Critical, "No valid rule set: stopping the service")]
    public static partial void Stopping(ILogger logger);
}
