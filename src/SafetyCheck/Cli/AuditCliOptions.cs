using SafetyCheck.Audit;

namespace SafetyCheck.Cli;

/// <summary>Options of <c>serve</c> and the <c>audit</c> verbs about the audit trail (a new instance per command).</summary>
internal static class AuditCliOptions
{
    public static Option<string?> Database() => CliOptions.NotEmpty(new("--audit-db")
    {
        Description = $"The audit database (default: {AuditOptions.DefaultDatabasePath}, relative to the current directory; or SafetyCheck:Audit:DatabasePath in appsettings.json / SafetyCheck__Audit__DatabasePath).",
        HelpName = "FILE",
    });

    /// <summary>An option of an <c>audit</c> verb whose value the verb reads and checks itself (a bad value exits 2).</summary>
    public static Option<string?> Value(string name, string description, string helpName) => new(name)
    {
        Description = description,
        HelpName = helpName,
    };

    /// <summary>The ASP.NET configuration argument that carries <c>--audit-db</c> into the host (command-line configuration wins over environment and appsettings.json).</summary>
    public static string[] HostArguments(string? databaseFlag) =>
        string.IsNullOrWhiteSpace(databaseFlag)
            ? []
            : [$"--{AuditOptions.Section}:{nameof(AuditOptions.DatabasePath)}={Path.GetFullPath(databaseFlag, Environment.CurrentDirectory)}"];
}
