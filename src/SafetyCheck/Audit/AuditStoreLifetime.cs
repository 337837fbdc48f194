using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.PostgreSql;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit;

/// <summary>
/// Opens the audit store when the host starts, before the server listens (constructing this service opens the store,
/// checks its tail, starts the writer and reads the pseudonym key, so an unusable store stops <c>serve</c> from
/// starting), and closes it when the host stops, after the server has finished its calls: the writer commits what is
/// queued, then the store closes and releases its lock.
/// </summary>
internal sealed class AuditStoreLifetime(
    IAuditStorage storage,
    AuditChainWriter writer,
    Pseudonymiser pseudonymiser,
    AuditPaths paths,
    AuditStoreSettings settings,
    ILogger<AuditStoreLifetime> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var head = await storage.HeadAsync(cancellationToken).ConfigureAwait(false);
        switch (storage)
        {
            case SqliteAuditStorage sqlite:
                AuditLog.Opened(log, paths.DatabasePath, head.Size, head.HeadHash, pseudonymiser.KeyId);
                if (sqlite.RestoredTriggers.Count > 0)
                {
                    AuditLog.TriggersRestored(log, string.Join(", ", sqlite.RestoredTriggers));
                }

                break;
            case PostgresAuditStorage shared:
                AuditLog.OpenedChain(log, settings.Describe(paths), shared.ChainId, shared.StoreId, head.Size, head.HeadHash, pseudonymiser.KeyId);
                if (shared.ExcessRights.Count > 0)
                {
                    AuditLog.ExcessRights(log, string.Join("; ", shared.ExcessRights));
                }

                break;
            default:
                AuditLog.Opened(log, settings.Describe(paths), head.Size, head.HeadHash, pseudonymiser.KeyId);
                break;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        AuditLog.Closing(log);
        await writer.DisposeAsync().ConfigureAwait(false);
        await storage.DisposeAsync().ConfigureAwait(false);
    }
}
