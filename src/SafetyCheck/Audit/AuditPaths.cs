namespace SafetyCheck.Audit;

/// <summary>
/// Where the audit files are: a flag wins over configuration (environment variables over appsettings.json), which wins
/// over the defaults. Relative paths are taken from the current directory, like <c>--rules</c>.
/// </summary>
internal sealed record AuditPaths(string DatabasePath, string CheckpointKeyPath)
{
    /// <summary>The paths for <paramref name="databaseFlag"/> (<c>--audit-db</c>, may be null) and <paramref name="configuration"/>.</summary>
    public static AuditPaths Resolve(string? databaseFlag, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(AuditOptions.Section);
        return Resolve(databaseFlag, section[nameof(AuditOptions.DatabasePath)], section[nameof(AuditOptions.CheckpointKeyPath)]);
    }

    /// <summary>The paths for the bound <paramref name="options"/>.</summary>
    public static AuditPaths Resolve(AuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Resolve(null, options.DatabasePath, options.CheckpointKeyPath);
    }

    private static AuditPaths Resolve(string? databaseFlag, string? configuredDatabase, string? configuredCheckpointKey)
    {
        var database = !string.IsNullOrWhiteSpace(databaseFlag) ? databaseFlag
            : !string.IsNullOrWhiteSpace(configuredDatabase) ? configuredDatabase
            : AuditOptions.DefaultDatabasePath;
        var databasePath = Path.GetFullPath(database, Environment.CurrentDirectory);
        var checkpointKey = !string.IsNullOrWhiteSpace(configuredCheckpointKey)
            ? Path.GetFullPath(configuredCheckpointKey, Environment.CurrentDirectory)
            : Checkpoints.CheckpointKeyFile.PathFor(databasePath);
        return new AuditPaths(databasePath, checkpointKey);
    }
}
