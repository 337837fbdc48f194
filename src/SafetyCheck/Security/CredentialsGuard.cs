using SafetyCheck.CdsHooks;
using SafetyCheck.Limits;

namespace SafetyCheck.Security;

/// <summary>
/// Runs before the server binds: with credentials configured it says which; without any, on loopback it makes or
/// reuses the development key (when the host allows one, as <c>serve</c> does), and on any other address it stops
/// the start (<c>serve</c> exits 1) — a service reachable from the network never runs open.
/// </summary>
internal sealed class CredentialsGuard(
    IOptions<CredentialsOptions> credentials,
    ApiKeyRegistry keys,
    DevelopmentKeyOptions developmentKey,
    IConfiguration configuration,
    ILogger<CredentialsGuard> log) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var options = credentials.Value;
        if (options.AnyConfigured)
        {
            SecurityLog.Configured(log, keys.Count, options.Jwt.IsConfigured ? options.Jwt.Issuer ?? "" : "off",
                options.ClientCertificates.Enabled ? $"{options.ClientCertificates.Mappings.Count} mappings" : "off");
            return Task.CompletedTask;
        }

        ThrowIfOpenToTheNetwork();

        if (developmentKey.Directory is null)
        {
            SecurityLog.NoCredentials(log);
            return Task.CompletedTask;
        }

        var (key, file, created) = DevelopmentKey.LoadOrCreate(developmentKey.Directory);
        keys.Add(DevelopmentKey.CallerName, key, SafetyCheckRoles.All);
        SecurityLog.DevelopmentKey(log, created ? "Created" : "Reusing", file, string.Join(", ", SafetyCheckRoles.All));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops the start when no credentials are configured and the service would listen on an address that is not
    /// loopback. <c>serve</c> calls it before it opens the audit store, so that a refused start leaves no files behind;
    /// <see cref="StartingAsync"/> calls it again for every other host.
    /// </summary>
    /// <exception cref="InvalidOperationException">The service would listen off loopback without credentials.</exception>
    public void ThrowIfOpenToTheNetwork()
    {
        if (credentials.Value.AnyConfigured)
        {
            return;
        }

        // A health address serves health alone (open to anyone anyway), a metrics address /metrics alone, and a CDS Hooks
        // address checks its callers' tokens against its own issuers, so they may face the network without gRPC credentials.
        IReadOnlyList<string> health =
        [
            .. HealthListener.Parse(configuration[$"{LimitsOptions.Section}:{nameof(LimitsOptions.HealthUrls)}"]).Urls,
            .. Telemetry.MetricsListener.FromConfiguration(configuration).Addresses.Urls,
        ];
        var cdsHooks = CdsHooksListener.Parse(configuration[$"{CdsHooksOptions.Section}:{nameof(CdsHooksOptions.Urls)}"]).Urls;
        var exposed = ListenAddresses.FromConfiguration(configuration)
            .Where(a => !ListenAddresses.IsLoopback(a) && !health.Contains(a, StringComparer.Ordinal) && !cdsHooks.Contains(a, StringComparer.Ordinal))
            .ToArray();
        if (exposed.Length > 0)
        {
            throw new InvalidOperationException(
                $"no credentials are configured and the service would listen on {string.Join(", ", exposed)}, which is not loopback only. "
                + $"Configure API keys, JWT or client certificates under {CredentialsOptions.Section} (README, Security), or listen on 127.0.0.1.");
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
