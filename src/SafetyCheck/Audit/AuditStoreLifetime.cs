using System.Globalization;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.PostgreSql;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit;

/// <summary>
/// Opens the audit store when the host starts, before the server listens (constructing this service opens the store,
/// verifies the chain after its last verified point, starts the writer and reads the pseudonym key, so an unusable store
/// or a broken chain stops <c>serve</c> from starting), and closes it when the host stops, after the server has
/// finished its calls: the writer commits what is queued, then the store closes and releases its lock. Shutdown is
/// bounded by <see cref="HostOptions.ShutdownTimeout"/> even when the store is frozen: a second before the bound (half
/// of it when it is under two seconds) the writes still waiting are answered UNAVAILABLE, and at the bound the writer is
/// abandoned and <see cref="ClosedCleanly"/> turns false (<c>serve</c> then exits 3).
/// </summary>
internal sealed class AuditStoreLifetime(
    IAuditStorage storage,
    AuditChainWriter writer,
    OpenedPseudonymKey key,
    AuditPaths paths,
    AuditStoreSettings settings,
    IOptions<HostOptions> hostOptions,
    ILogger<AuditStoreLifetime> log) : IHostedLifecycleService
{
    /// <summary>Longest the start waits to compare pseudonym keys with the other chains'.</summary>
    private static readonly TimeSpan KeyComparisonWait = TimeSpan.FromSeconds(5);

    /// <summary>Longest the shutdown waits to read the head it reports as closed.</summary>
    private static readonly TimeSpan HeadReadWait = TimeSpan.FromSeconds(2);

    private ITimer? _answerWaiting;

    /// <summary>False when the store did not close before the shutdown bound (a write was still running).</summary>
    public bool ClosedCleanly { get; private set; } = true;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var head = await storage.HeadAsync(cancellationToken).ConfigureAwait(false);
        switch (storage)
        {
            case SqliteAuditStorage sqlite:
                if (sqlite.CreatedNew)
                {
                    AuditLog.CreatedNew(log, sqlite.DatabasePath);
                }

                AuditLog.Opened(log, paths.DatabasePath, head.Size, head.HeadHash, key.Pseudonymiser.KeyId);
                // The chain verified (the writer would not have started otherwise): the file may now be changed.
                sqlite.PrepareForWrites();
                if (sqlite.UpgradedFromLayout is { } layout)
                {
                    AuditLog.LayoutUpgraded(log, paths.DatabasePath, layout, SqliteAuditStorage.Layout);
                }

                if (TrailFileModes.OpenToOthers(sqlite.DatabasePath) is { Count: > 0 } open)
                {
                    var (files, command) = TrailFileModes.Describe(open);
                    AuditLog.TrailFilesOpenToOthers(log, files, command);
                }

                if (sqlite.MissingTriggers.Count > 0)
                {
                    AuditLog.TriggersRestored(log, string.Join(", ", sqlite.MissingTriggers));
                }

                break;
            case PostgresAuditStorage shared:
                AuditLog.OpenedChain(log, settings.Describe(paths), shared.ChainId, shared.StoreId, head.Size, head.HeadHash, key.Pseudonymiser.KeyId);
                if (shared.ExcessRights.Count > 0)
                {
                    AuditLog.ExcessRights(log, string.Join("; ", shared.ExcessRights));
                }

                await CompareKeysAsync(shared, cancellationToken).ConfigureAwait(false);
                break;
            default:
                AuditLog.Opened(log, settings.Describe(paths), head.Size, head.HeadHash, key.Pseudonymiser.KeyId);
                break;
        }

        AuditLog.StartVerified(log, writer.StartupVerification.Message);
        if (key.KeyFile is { } keyFile)
        {
            AuditLog.KeyFileBesideDatabase(log, keyFile);
            if (key.NarrowedFrom is { } mode)
            {
                AuditLog.KeyFileNarrowed(log, keyFile, Convert.ToString((int)mode, 8).PadLeft(4, '0'));
            }
        }

        if (key.CreatedNow && head.Size > 0)
        {
            // A trail that holds records but had no key file: its key was lost (or moved). Patients recorded from now on
            // cannot be linked with those recorded before.
            AuditLog.NewKeyForExistingTrail(log, AuditKeyFile.PathFor(paths.DatabasePath), head.Size, key.Pseudonymiser.KeyId);
        }
        else if (storage is SqliteAuditStorage single && head.Size > 0)
        {
            // A key that is there but not the one the trail was recorded under (a configured key or key file changed):
            // warning 322 above already says it when the key was generated just now.
            await CompareKeysAsync(single, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Warns when the chains in use in the shared store (this one's included, as it was before this start) last recorded
    /// patients under another key than this instance's: read only, the latest decisions' key ids, at most 5 s. A
    /// warning and not a refusal: during a rolling key rotation old and new keys are in use together, and a key that
    /// differs breaks the linking of pseudonyms, not the decisions or their records.
    /// </summary>
    private Task CompareKeysAsync(PostgresAuditStorage shared, CancellationToken cancellationToken) =>
        CompareKeysAsync(
            shared.ReadLatestKeyUsesAsync,
            (keyId, others) => AuditLog.OtherPseudonymKeys(log, keyId, PseudonymKeyComparison.Describe(others, shared.ChainId)),
            cancellationToken);

    /// <summary>
    /// Warns when the SQLite chain's latest decision that names a patient (among its last 64 decisions) carries another
    /// key id than this start's: the configured key (or the key file) changed between runs on the same database. Read
    /// only, at most 5 s; a warning and not a refusal, since rotating the key is legitimate.
    /// </summary>
    private Task CompareKeysAsync(SqliteAuditStorage single, CancellationToken cancellationToken) =>
        CompareKeysAsync(
            single.ReadLatestKeyUsesAsync,
            (keyId, others) => AuditLog.PseudonymKeyChanged(log, others[0].KeyId, others[0].Sequence, AuditTime.Write(others[0].RecordedAt), keyId),
            cancellationToken);

    private async Task CompareKeysAsync(
        Func<CancellationToken, Task<IReadOnlyList<ChainKeyUse>>> readLatestKeyUses,
        Action<string, IReadOnlyList<ChainKeyUse>> warn,
        CancellationToken cancellationToken)
    {
        var keyId = key.Pseudonymiser.KeyId;
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(KeyComparisonWait);
        try
        {
            var others = PseudonymKeyComparison.OtherKeysInUse(await readLatestKeyUses(bound.Token).ConfigureAwait(false), keyId);
            if (others.Count > 0)
            {
                warn(keyId, others);
            }
        }
        catch (AuditStoreUnavailableException ex)
        {
            AuditLog.PseudonymKeysNotCompared(log, keyId, ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            AuditLog.PseudonymKeysNotCompared(log, keyId, $"the store did not answer within {KeyComparisonWait.TotalSeconds:0} s");
        }
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        var bound = hostOptions.Value.ShutdownTimeout;
        var answerAt = bound > TimeSpan.FromSeconds(2) ? bound - TimeSpan.FromSeconds(1) : bound / 2;
        _answerWaiting = TimeProvider.System.CreateTimer(_ => writer.FailWaiting(), null, answerAt, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        AuditLog.Closing(log);
        var closed = await writer.CloseAsync(cancellationToken).ConfigureAwait(false);
        _answerWaiting?.Dispose();
        var head = closed ? await DescribeHeadAsync(cancellationToken).ConfigureAwait(false) : null;
        await storage.DisposeAsync().ConfigureAwait(false);
        if (!closed || storage is SqliteAuditStorage { ClosedCleanly: false })
        {
            ClosedCleanly = false;
            AuditLog.NotClosedCleanly(log);
        }
        else
        {
            AuditLog.Closed(log, head!);
        }
    }

    /// <summary>Where the closed writer left the chain's head, for the line that says the trail is closed.</summary>
    private async Task<string> DescribeHeadAsync(CancellationToken cancellationToken)
    {
        // A line for the log: it must not hold up closing the store (a shared store's read is a network round trip).
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(HeadReadWait);
        try
        {
            var head = await storage.HeadAsync(bound.Token).ConfigureAwait(false);
            return string.Create(CultureInfo.InvariantCulture, $"head at sequence {head.Size}");
        }
        catch (Exception ex) when (ex is AuditStoreUnavailableException or OperationCanceledException or ObjectDisposedException)
        {
            return "its head could not be read: " + ex switch
            {
                AuditStoreUnavailableException => ex.Message,
                ObjectDisposedException => "the store was already closed",
                _ when cancellationToken.IsCancellationRequested => "the shutdown's time ran out first",
                _ => $"the store did not answer within {HeadReadWait.TotalSeconds:0} s",
            };
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
