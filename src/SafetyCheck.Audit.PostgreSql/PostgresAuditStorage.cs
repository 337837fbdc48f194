using System.Data;
using Npgsql;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.PostgreSql;

/// <summary>
/// The storage primitives of one service instance's chain in a PostgreSQL database shared by several instances
/// (<see cref="PostgresAuditSchema"/>). The instance owns its chain (<see cref="PostgresAuditStorageOptions.InstanceId"/>)
/// through a session advisory lock held by one dedicated connection, on which every write runs:
/// <list type="bullet">
/// <item>An append is one INSERT statement (one transaction, committed with <c>synchronous_commit = on</c> before it
/// returns); the database refuses it unless every row links to the one before it in the chain and no other session
/// holds the chain, so a stale head or a second writer can never fork the chain.</item>
/// <item>When the connection fails (server stopped, network cut), writes fail (the writer answers UNAVAILABLE and
/// reads the head again); the next write reconnects, with a back-off between attempts, and takes the chain's lock again
/// before it writes.</item>
/// </list>
/// Reads use a pool and never wait for the writer; look-ups by id and lists cover every chain (see
/// <see cref="PostgresAuditReader"/>). The service's role needs only SELECT and INSERT; the store never creates schema.
/// </summary>
public sealed class PostgresAuditStorage : IAuditStorage, IAuditChainSet, IAuditSummarySource
{
    private readonly PostgresAuditStorageOptions _options;
    private readonly NpgsqlDataSource _pool;
    private readonly NpgsqlDataSource _ownerSource;
    private readonly PostgresAuditReader _reader;
    private NpgsqlConnection? _owner;
    private DateTimeOffset _nextAttempt;
    private TimeSpan _delay;
    private string? _lastFailure;
    private int _disposed;

    private PostgresAuditStorage(PostgresAuditStorageOptions options, NpgsqlDataSource pool, NpgsqlDataSource ownerSource, NpgsqlConnection owner, Guid storeId, IReadOnlyList<string> excessRights)
    {
        _options = options;
        _pool = pool;
        _ownerSource = ownerSource;
        _owner = owner;
        _delay = options.ReconnectDelay;
        _reader = new PostgresAuditReader(pool, options.InstanceId, ownsDataSource: false);
        StoreId = storeId;
        ExcessRights = excessRights;
    }

    /// <summary>The chain this instance owns.</summary>
    public string ChainId => _options.InstanceId;

    /// <summary>The store's id (given by the first migration).</summary>
    public Guid StoreId { get; }

    /// <summary>
    /// Rights the service's role has beyond SELECT and INSERT (it owns a table, or may UPDATE, DELETE or TRUNCATE), one
    /// line per table: the triggers still refuse changes, but an owner can disable them. Log it; empty when the roles
    /// are set up as documented.
    /// </summary>
    public IReadOnlyList<string> ExcessRights { get; }

    /// <summary>
    /// Connects, checks the schema (this build's version, every append-only trigger present and enabled), registers the
    /// instance's chain and takes its lock.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The server cannot be reached, the schema is missing, of another version
    /// or lacks its triggers, or another live instance holds the chain.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static async Task<PostgresAuditStorage> OpenAsync(string connectionString, PostgresAuditStorageOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        options ??= new PostgresAuditStorageOptions();
        options.Validate();
        var pool = PostgresConnections.CreateDataSource(connectionString);
        var ownerSource = PostgresConnections.CreateDataSource(connectionString, pooling: false);
        NpgsqlConnection? owner = null;
        try
        {
            owner = await ConnectOwnerAsync(ownerSource, options.InstanceId, cancellationToken).ConfigureAwait(false);
            var storeId = await PostgresSql.ScalarAsync<Guid>(owner, PostgresSql.StoreId, cancellationToken).ConfigureAwait(false);
            var excess = new List<string>();
            await using (var command = new NpgsqlCommand(PostgresSql.ExcessRights, owner))
            await using (var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    excess.Add(row.GetString(0));
                }
            }

            return new PostgresAuditStorage(options, pool, ownerSource, owner, storeId, excess);
        }
        catch (Exception ex)
        {
            if (owner is not null)
            {
                await owner.DisposeAsync().ConfigureAwait(false);
            }

            await pool.DisposeAsync().ConfigureAwait(false);
            await ownerSource.DisposeAsync().ConfigureAwait(false);
            throw ex is NpgsqlException or AuditStoreUnavailableException ? PostgresSql.Unavailable("the audit database cannot be opened", ex) : ex;
        }
    }

    /// <inheritdoc/>
    public async Task AppendAsync(IReadOnlyList<StoredEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        var owner = await OwnerAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand(PostgresSql.Append, owner) { CommandTimeout = TimeoutSeconds };
            var p = command.Parameters;
            p.AddWithValue(ChainId);
            p.AddWithValue(entries.Select(e => e.Sequence).ToArray());
            p.AddWithValue(entries.Select(e => e.Kind).ToArray());
            p.AddWithValue(entries.Select(e => e.EntryId).ToArray());
            p.AddWithValue(entries.Select(e => e.RecordedAt).ToArray());
            p.AddWithValue(entries.Select(e => e.Verdict).ToArray());
            p.AddWithValue(entries.Select(e => e.Revision).ToArray());
            p.AddWithValue(entries.Select(e => e.RuleIds).ToArray());
            p.AddWithValue(entries.Select(e => e.RecordJson).ToArray());
            p.AddWithValue(entries.Select(e => e.PrevHash).ToArray());
            p.AddWithValue(entries.Select(e => e.EntryHash).ToArray());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "entries_entry_id_key" })
        {
            var duplicates = await ExistingIdsAsync(owner, entries, cancellationToken).ConfigureAwait(false);
            throw duplicates.Count > 0 ? new DuplicateEntryException(duplicates) : PostgresSql.Unavailable("the audit records could not be committed", ex);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresAuditSchema.BrokenLinkState)
        {
            throw new AuditStoreUnavailableException(
                $"the chain '{ChainId}' does not end where the batch continues it (sequence {entries[0].Sequence}); nothing was kept: {ex.MessageText}", ex);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            await DropBrokenOwnerAsync(ex).ConfigureAwait(false);
            throw PostgresSql.Unavailable("the audit records could not be committed", ex);
        }
    }

    /// <inheritdoc/>
    public async Task ArchiveRevisionAsync(ArchivedRevision revision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var owner = await OwnerAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand(PostgresSql.Archive, owner) { CommandTimeout = TimeoutSeconds };
            var p = command.Parameters;
            p.AddWithValue(revision.Identity.Revision);
            p.AddWithValue(revision.Identity.Name);
            p.AddWithValue(revision.Identity.Version);
            p.AddWithValue(revision.Files.Select(f => f.Path).ToArray());
            p.AddWithValue(revision.Files.Select(f => f.Content).ToArray());
            p.AddWithValue(revision.Files.Select(f => ArchivedRevision.DigestOf(f.Content)).ToArray());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            await DropBrokenOwnerAsync(ex).ConfigureAwait(false);
            throw PostgresSql.Unavailable("the rule revision could not be archived", ex);
        }
    }

    /// <summary>
    /// One round trip (<c>SELECT 1</c>) on the owning connection, the one every write uses: a connection the server ended
    /// (a stopped or restarted server, a terminated session, a cut network) fails it and is dropped, and a dropped one is
    /// opened again first, exactly as the next write would open it (with the back-off between attempts, the schema and
    /// triggers checked and the chain's lock taken), so health sees the database fail and come back while no record is
    /// written. Writes nothing. Bounded by <see cref="PostgresAuditStorageOptions.WriteTimeout"/> (and the connect timeout).
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The database cannot be reached or did not answer, or the store is closed.</exception>
    public async Task CheckLivenessAsync(CancellationToken cancellationToken = default)
    {
        var owner = await OwnerAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand(PostgresSql.Liveness, owner) { CommandTimeout = TimeoutSeconds };
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            await DropBrokenOwnerAsync(ex).ConfigureAwait(false);
            throw PostgresSql.Unavailable("the audit database did not answer on the chain's connection", ex);
        }
    }

    /// <inheritdoc/>
    public Task<AuditHead?> GetVerifiedPointAsync(CancellationToken cancellationToken = default) => _reader.GetVerifiedPointAsync(cancellationToken);

    /// <inheritdoc/>
    public async Task RecordVerifiedPointAsync(AuditHead point, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(point);
        var owner = await OwnerAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand(PostgresSql.RecordVerifiedPoint, owner) { CommandTimeout = TimeoutSeconds };
            command.Parameters.AddWithValue(ChainId);
            command.Parameters.AddWithValue(point.Size);
            command.Parameters.AddWithValue(point.HeadHash);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            await DropBrokenOwnerAsync(ex).ConfigureAwait(false);
            throw PostgresSql.Unavailable("the verified point could not be recorded", ex);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ListRevisionsAsync(CancellationToken cancellationToken = default) => _reader.ListRevisionsAsync(cancellationToken);

    /// <inheritdoc/>
    public Task<bool> IsRevisionArchivedAsync(string revision, CancellationToken cancellationToken = default) =>
        _reader.IsRevisionArchivedAsync(revision, cancellationToken);

    /// <inheritdoc/>
    public Task<AuditHead> HeadAsync(CancellationToken cancellationToken = default) => _reader.HeadAsync(cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<StoredEntry> ReadRangeAsync(long fromSequence, int count, CancellationToken cancellationToken = default) =>
        _reader.ReadRangeAsync(fromSequence, count, cancellationToken);

    /// <inheritdoc/>
    public Task<StoredEntry?> GetAsync(string entryId, CancellationToken cancellationToken = default) => _reader.GetAsync(entryId, cancellationToken);

    /// <inheritdoc/>
    public Task<EntryPage> ListAsync(EntryFilter filter, CancellationToken cancellationToken = default) => _reader.ListAsync(filter, cancellationToken);

    /// <inheritdoc/>
    public Task<ArchivedRevision?> GetRevisionAsync(string revision, CancellationToken cancellationToken = default) =>
        _reader.GetRevisionAsync(revision, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<RevisionUse>> ListRevisionUsesAsync(CancellationToken cancellationToken = default) => _reader.ListRevisionUsesAsync(cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<RulesetIdentity>> ListArchivedRevisionsAsync(CancellationToken cancellationToken = default) => _reader.ListArchivedRevisionsAsync(cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<VerdictCount>> CountVerdictsPerDayAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        _reader.CountVerdictsPerDayAsync(from, to, cancellationToken);

    /// <inheritdoc/>
    public Task<RuleFirings> CountRuleFiringsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        _reader.CountRuleFiringsAsync(from, to, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, long>> ReadChainHeadsAsync(CancellationToken cancellationToken = default) => _reader.ReadChainHeadsAsync(cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<DecisionSummary> ReadDecisionSummariesAsync(string chainId, long afterSequence, long throughSequence, CancellationToken cancellationToken = default) =>
        _reader.ReadDecisionSummariesAsync(chainId, afterSequence, throughSequence, cancellationToken);

    /// <inheritdoc cref="PostgresAuditReader.ReadLatestKeyUsesAsync"/>
    public Task<IReadOnlyList<ChainKeyUse>> ReadLatestKeyUsesAsync(CancellationToken cancellationToken = default) => _reader.ReadLatestKeyUsesAsync(cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ListChainsAsync(CancellationToken cancellationToken = default) => _reader.ListChainsAsync(cancellationToken);

    /// <inheritdoc/>
    public IAuditReader Chain(string chainId) => _reader.Chain(chainId);

    /// <summary>Releases the chain (closing its connection ends the lock) and closes the pools. Dispose the writer first.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (Interlocked.Exchange(ref _owner, null) is { } owner)
        {
            await owner.DisposeAsync().ConfigureAwait(false);
        }

        await _ownerSource.DisposeAsync().ConfigureAwait(false);
        await _pool.DisposeAsync().ConfigureAwait(false);
    }

    private int TimeoutSeconds => (int)Math.Ceiling(_options.WriteTimeout.TotalSeconds);

    /// <summary>Opens the owning connection: schema and triggers checked, chain registered, its lock taken.</summary>
    private static async Task<NpgsqlConnection> ConnectOwnerAsync(NpgsqlDataSource source, string chainId, CancellationToken cancellationToken)
    {
        var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await PostgresConnections.CheckSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
            var enabled = new HashSet<string>(StringComparer.Ordinal);
            await using (var command = new NpgsqlCommand(PostgresSql.EnabledTriggers, connection))
            await using (var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    enabled.Add(row.GetString(0));
                }
            }

            var missing = PostgresAuditSchema.Triggers.Where(t => !enabled.Contains(t)).ToList();
            if (missing.Count > 0)
            {
                throw new AuditStoreUnavailableException(
                    $"the audit tables' append-only triggers {string.Join(", ", missing)} are missing or disabled: someone with the owner role removed them; run 'safetycheck audit verify' and 'safetycheck audit migrate' after investigating");
            }

            await using (var register = new NpgsqlCommand(PostgresSql.RegisterChain, connection))
            {
                register.Parameters.AddWithValue(chainId);
                await register.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            int lockKey;
            await using (var key = new NpgsqlCommand(PostgresSql.ChainLockKey, connection))
            {
                key.Parameters.AddWithValue(chainId);
                lockKey = (int)(await key.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            await using (var take = new NpgsqlCommand(PostgresSql.TryLockChain, connection))
            {
                take.Parameters.AddWithValue(lockKey);
                if (!(bool)(await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    throw new AuditStoreUnavailableException(
                        $"the audit chain '{chainId}' is held by another running instance (or by this instance's previous session, until the server notices it ended); give every instance its own SafetyCheck:Audit:InstanceId");
                }
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The owning connection; after a failure, a new one (lock taken again) unless the back-off has not elapsed.</summary>
    private async Task<NpgsqlConnection> OwnerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            throw new AuditStoreUnavailableException("the audit store is closed");
        }

        if (_owner is { FullState: ConnectionState.Open } owner)
        {
            return owner;
        }

        var now = _options.TimeProvider.GetUtcNow();
        if (now < _nextAttempt)
        {
            throw new AuditStoreUnavailableException(
                $"the audit database is unreachable; next attempt in {(_nextAttempt - now).TotalMilliseconds:0} ms (last failure: {_lastFailure})");
        }

        try
        {
            owner = await ConnectOwnerAsync(_ownerSource, ChainId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or AuditStoreUnavailableException or InvalidOperationException or TimeoutException)
        {
            _lastFailure = ex.Message;
            _nextAttempt = now + _delay;
            _delay = TimeSpan.FromTicks(Math.Min(_delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            throw PostgresSql.Unavailable("the audit database cannot be reached", ex);
        }

        _delay = _options.ReconnectDelay;
        _nextAttempt = default;
        _owner = owner;

        // Pooled read connections from before the failure are likely dead too.
        _pool.Clear();
        return owner;
    }

    /// <summary>Forgets the owning connection when the failure broke it (the server ended the session, the network failed).</summary>
    private async Task DropBrokenOwnerAsync(Exception failure)
    {
        if (_owner is { } owner && (owner.FullState != ConnectionState.Open || failure is not PostgresException))
        {
            _owner = null;
            _lastFailure = failure.Message;
            await owner.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<List<string>> ExistingIdsAsync(NpgsqlConnection connection, IReadOnlyList<StoredEntry> entries, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await using var command = new NpgsqlCommand(PostgresSql.ExistingIds, connection);
        command.Parameters.AddWithValue(entries.Select(e => e.EntryId).ToArray());
        await using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(row.GetString(0));
        }

        return ids;
    }
}
