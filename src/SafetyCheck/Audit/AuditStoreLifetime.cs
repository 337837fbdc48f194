using SafetyCheck.Core.Audit;

namespace SafetyCheck.Audit;

/// <summary>
/// Opens the audit store when the host starts, before the server listens (constructing this service opens the store
/// and reads the pseudonym key, so an unusable store stops <c>serve</c> from starting), and closes it when the host
/// stops, after the server has finished its calls: queued records are committed and the lock is released.
/// </summary>
internal sealed class AuditStoreLifetime(
    IAuditStore store,
    Pseudonymiser pseudonymiser,
    AuditPaths paths,
    ILogger<AuditStoreLifetime> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var head = await store.HeadAsync(cancellationToken).ConfigureAwait(false);
        AuditLog.Opened(log, paths.DatabasePath, head.Size, head.HeadHash, pseudonymiser.KeyId);
        if (store is SqliteAuditStore { RestoredTriggers.Count: > 0 } sqlite)
        {
            AuditLog.TriggersRestored(log, string.Join(", ", sqlite.RestoredTriggers));
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        AuditLog.Closing(log);
        await store.DisposeAsync().ConfigureAwait(false);
    }
}
