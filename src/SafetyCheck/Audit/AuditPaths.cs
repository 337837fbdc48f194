namespace SafetyCheck.Audit;

/// <summary>
/// Where the audit files are and who signs checkpoints: a flag wins over configuration (environment variables over
/// appsettings.json), which wins over the defaults. Relative paths are taken from the current directory, like
/// <c>--rules</c>. The checkpoint key has no default: it never lives beside the database.
/// </summary>
/// <param name="DatabasePath">The audit database (absolute).</param>
/// <param name="CheckpointKeyPath">The checkpoint signing key file (absolute), or null when none is configured.</param>
/// <param name="CheckpointPublicKeyPath">The checkpoint signer's public key file (absolute), or null.</param>
/// <param name="CheckpointSigner">The external signing command, or null.</param>
internal sealed record AuditPaths(string DatabasePath, string? CheckpointKeyPath, string? CheckpointPublicKeyPath = null, string? CheckpointSigner = null)
{
    /// <summary>The paths for <paramref name="databaseFlag"/> (<c>--audit-db</c>, may be null) and <paramref name="configuration"/>.</summary>
    public static AuditPaths Resolve(string? databaseFlag, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(AuditOptions.Section);
        return Resolve(
            databaseFlag,
            section[nameof(AuditOptions.DatabasePath)],
            section[nameof(AuditOptions.CheckpointKeyPath)],
            section[nameof(AuditOptions.CheckpointPublicKeyPath)],
            section[nameof(AuditOptions.CheckpointSigner)]);
    }

    /// <summary>The paths for the bound <paramref name="options"/>.</summary>
    public static AuditPaths Resolve(AuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Resolve(null, options.DatabasePath, options.CheckpointKeyPath, options.CheckpointPublicKeyPath, options.CheckpointSigner);
    }

    private static AuditPaths Resolve(string? databaseFlag, string? configuredDatabase, string? checkpointKey, string? checkpointPublicKey, string? signer)
    {
        var database = !string.IsNullOrWhiteSpace(databaseFlag) ? databaseFlag
            : !string.IsNullOrWhiteSpace(configuredDatabase) ? configuredDatabase
            : AuditOptions.DefaultDatabasePath;
        return new AuditPaths(
            Path.GetFullPath(database, Environment.CurrentDirectory),
            FullPathOrNull(checkpointKey),
            FullPathOrNull(checkpointPublicKey),
            string.IsNullOrWhiteSpace(signer) ? null : signer);
    }

    private static string? FullPathOrNull(string? path) =>
        string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path, Environment.CurrentDirectory);
}
