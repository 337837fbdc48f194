using SafetyCheck.Audit.PostgreSql;

namespace SafetyCheck.Audit;

/// <summary>
/// Which store the trail is in, read from the <c>SafetyCheck:Audit</c> section by <c>serve</c> and every <c>audit</c>
/// verb alike: the provider, and for PostgreSQL the connection string and this instance's chain.
/// </summary>
/// <param name="Provider">SQLite (default) or PostgreSQL.</param>
/// <param name="ConnectionString">The PostgreSQL connection string; null with SQLite.</param>
/// <param name="InstanceId">The PostgreSQL chain this instance writes.</param>
internal sealed record AuditStoreSettings(AuditProvider Provider, string? ConnectionString, string InstanceId)
{
    /// <summary>The settings in <paramref name="configuration"/>.</summary>
    /// <exception cref="ArgumentException">A setting is invalid (the message names it).</exception>
    public static AuditStoreSettings Resolve(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(AuditOptions.Section);
        return Resolve(section[nameof(AuditOptions.Provider)], section[nameof(AuditOptions.ConnectionString)], section[nameof(AuditOptions.InstanceId)]);
    }

    /// <summary>The settings in the bound <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">A setting is invalid (the message names it).</exception>
    public static AuditStoreSettings Resolve(AuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Resolve(options.Provider, options.ConnectionString, options.InstanceId);
    }

    /// <summary>Null when <paramref name="options"/> are valid, else what is wrong, naming the setting.</summary>
    public static string? Problem(AuditOptions options)
    {
        try
        {
            var settings = Resolve(options);
            return settings.Provider == AuditProvider.PostgreSql && string.IsNullOrWhiteSpace(options.PseudonymKey)
                ? $"{AuditOptions.Section}:{nameof(AuditOptions.PseudonymKey)} is required with the PostgreSql provider: every instance writing to the database must use the same pseudonym key (base64 of at least 16 bytes)"
                : null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }

    private static AuditStoreSettings Resolve(string? provider, string? connectionString, string? instanceId)
    {
        var kind = string.IsNullOrWhiteSpace(provider) ? AuditProvider.Sqlite
            : Enum.TryParse<AuditProvider>(provider.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
            : throw new ArgumentException($"{AuditOptions.Section}:{nameof(AuditOptions.Provider)}: '{provider}' is not Sqlite or PostgreSql");
        if (kind == AuditProvider.PostgreSql && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException($"{AuditOptions.Section}:{nameof(AuditOptions.ConnectionString)} is required with the PostgreSql provider");
        }

        var instance = string.IsNullOrWhiteSpace(instanceId) ? PostgresAuditStorageOptions.DefaultInstanceId(Environment.MachineName) : instanceId.Trim();
        return PostgresAuditStorageOptions.IsValidInstanceId(instance)
            ? new AuditStoreSettings(kind, kind == AuditProvider.PostgreSql ? connectionString : null, instance)
            : throw new ArgumentException($"{AuditOptions.Section}:{nameof(AuditOptions.InstanceId)}: '{instanceId}' is not 1–100 letters, digits, '.', '_' or '-' starting with a letter or digit");
    }

    /// <summary>Hides the password (and any other secret) of the connection string, for messages.</summary>
    public string Describe(AuditPaths paths) => Provider == AuditProvider.Sqlite
        ? paths.DatabasePath
        : $"PostgreSQL {PostgresConnectionDescription.Of(ConnectionString!)}";
}
