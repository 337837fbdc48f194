using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Npgsql;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.Audit.PostgreSql;

/// <summary>
/// Reads the audit trail in a PostgreSQL database without owning a chain: what the <c>audit</c> verbs and the Audit
/// service use. Look-ups by entry id, lists and the revision archive cover every chain; the head and ranges
/// (<see cref="IAuditChain"/>) are those of one chain (<see cref="Chain"/>), so the verifier and the exporter run per
/// chain. Each call takes a pooled connection and sees what was committed when it started. Lists are in chain order,
/// then sequence order (a page token names the chain and sequence to continue after, so paging never skips an entry
/// committed later by another instance), or newest first across chains (by recording time, then chain and sequence,
/// descending; the token names the last entry's time, chain and sequence); a list keeps to one chain only when its filter
/// names it (<see cref="EntryFilter.Chain"/>). Thread-safe; dispose to close the pool it opened.
/// </summary>
public sealed class PostgresAuditReader : IAuditReader, IVerifiedPointReader, IAuditChainSet, IAuditSummarySource, IAsyncDisposable
{
    private const string PageTokenPrefix = "c:";
    private const string NewestFirstTokenPrefix = "n:";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string? _chainId;
    private readonly bool _ownsDataSource;

    internal PostgresAuditReader(NpgsqlDataSource dataSource, string? chainId, bool ownsDataSource)
    {
        _dataSource = dataSource;
        _chainId = chainId;
        _ownsDataSource = ownsDataSource;
    }

    /// <summary>The chain whose head and ranges this reader reads; null for a store-wide reader (see <see cref="Chain"/>).</summary>
    public string? ChainId => _chainId;

    /// <summary>A store-wide reader of the database at <paramref name="connectionString"/> (any role with SELECT on the audit schema).</summary>
    /// <exception cref="AuditStoreUnavailableException">The database cannot be reached, or has no audit schema of this build's version.</exception>
    public static async Task<PostgresAuditReader> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var dataSource = PostgresConnections.CreateDataSource(connectionString);
        try
        {
            await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
            {
                await PostgresConnections.CheckSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
            }

            return new PostgresAuditReader(dataSource, null, ownsDataSource: true);
        }
        catch (Exception ex)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw ex is NpgsqlException or AuditStoreUnavailableException ? PostgresSql.Unavailable("the audit database cannot be read", ex) : ex;
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> ListChainsAsync(CancellationToken cancellationToken = default)
    {
        var chains = new List<string>();
        await ReadAsync(PostgresSql.Chains, _ => { }, row => chains.Add(row.GetString(0)), cancellationToken).ConfigureAwait(false);
        chains.Sort(StringComparer.Ordinal);
        return chains;
    }

    /// <inheritdoc/>
    public IAuditReader Chain(string chainId)
    {
        ArgumentException.ThrowIfNullOrEmpty(chainId);
        return new PostgresAuditReader(_dataSource, chainId, ownsDataSource: false);
    }

    /// <inheritdoc/>
    public async Task<AuditHead> HeadAsync(CancellationToken cancellationToken = default)
    {
        var chain = RequireChain();
        var head = AuditHead.Empty;
        await ReadAsync(PostgresSql.Head, p => p.AddWithValue(chain), row => head = new AuditHead(row.GetInt64(0), row.GetString(1)), cancellationToken).ConfigureAwait(false);
        return head;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredEntry> ReadRangeAsync(long fromSequence, int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var chain = RequireChain();
        var rows = new List<StoredEntry>(Math.Min(count, AuditScan.ChunkSize));
        await ReadAsync(
            PostgresSql.Range,
            p =>
            {
                p.AddWithValue(chain);
                p.AddWithValue(fromSequence);
                p.AddWithValue((long)count);
            },
            row => rows.Add(PostgresSql.ReadEntry(row)),
            cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            yield return row;
        }
    }

    /// <inheritdoc/>
    public async Task<StoredEntry?> GetAsync(string entryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entryId);
        StoredEntry? entry = null;
        await ReadAsync(PostgresSql.Get, p => p.AddWithValue(entryId), row => entry = PostgresSql.ReadEntry(row), cancellationToken).ConfigureAwait(false);
        return entry;
    }

    /// <inheritdoc/>
    public async Task<EntryPage> ListAsync(EntryFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.PageSize is < 1 or > EntryFilter.MaxPageSize)
        {
            throw new ArgumentException($"The page size is 1–{EntryFilter.MaxPageSize}.", nameof(filter));
        }

        // PostgreSQL refuses NUL in a text parameter (22021), which would fail the query as if the store were down. Its
        // text and jsonb values never hold NUL, so a rule or caller with one matches nothing, as on SQLite; a token
        // with a control character is not one this store issued (chain ids have none) and is refused.
        var tokenPosition = filter.NewestFirst ? ReadNewestFirstToken(filter.PageToken) : null;
        var sequencePosition = filter.NewestFirst ? ("", 0L) : ReadPageToken(filter.PageToken);
        if (filter.RuleId?.Contains('\0', StringComparison.Ordinal) == true || filter.Caller?.Contains('\0', StringComparison.Ordinal) == true
            || filter.Chain?.Contains('\0', StringComparison.Ordinal) == true)
        {
            return new EntryPage([], null);
        }

        var sql = new StringBuilder($"SELECT {PostgresSql.EntryColumns} FROM {PostgresAuditSchema.Name}.entries AS d WHERE true");
        var values = new List<object>();
        void Where(string condition, params object[] bound)
        {
            foreach (var value in bound)
            {
                values.Add(value);
                condition = ReplaceFirst(condition, "@", "$" + values.Count.ToString(CultureInfo.InvariantCulture));
            }

            sql.Append(CultureInfo.InvariantCulture, $" AND {condition}");
        }

        if (filter.NewestFirst)
        {
            if (tokenPosition is { } before)
            {
                // The first condition lets the recorded_at index bound the scan; the row comparison breaks ties.
                Where("d.recorded_at <= @", before.RecordedAt);
                Where("(d.recorded_at, d.chain_id, d.sequence) < (@, @, @)", before.RecordedAt, before.Chain, before.Sequence);
            }
        }
        else
        {
            var (afterChain, afterSequence) = sequencePosition;
            Where("(d.chain_id, d.sequence) > (@, @)", afterChain, afterSequence);
        }

        if (filter.Chain is { } chain)
        {
            Where("d.chain_id = @", chain);
        }

        if (filter.Kind is { } kind)
        {
            Where("d.kind = @", kind);
        }

        if (filter.From is { } from)
        {
            Where("d.recorded_at >= @", AuditTime.Write(from));
        }

        if (filter.To is { } to)
        {
            Where("d.recorded_at < @", AuditTime.Write(to));
        }

        if (filter.Verdict is { } verdict)
        {
            Where("d.verdict = @", EnumNames.Of(verdict));
        }

        if (filter.Revision is { } revision)
        {
            Where("d.revision = @", revision);
        }

        if (filter.Caller is { } caller)
        {
            Where("d.kind = 'decision' AND (d.record::jsonb ->> 'caller') = @", caller);
        }

        if (filter.RuleId is { } ruleId)
        {
            Where("EXISTS (SELECT 1 FROM jsonb_array_elements_text(d.rule_ids::jsonb) AS r (rule_id) WHERE r.rule_id = @)", ruleId);
        }

        sql.Append(filter.NewestFirst ? " ORDER BY d.recorded_at DESC, d.chain_id DESC, d.sequence DESC" : " ORDER BY d.chain_id, d.sequence");
        sql.Append(CultureInfo.InvariantCulture, $" LIMIT {filter.PageSize + 1};");
        var items = new List<StoredEntry>(filter.PageSize + 1);
        await ReadAsync(
            sql.ToString(),
            p =>
            {
                foreach (var value in values)
                {
                    p.AddWithValue(value);
                }
            },
            row => items.Add(PostgresSql.ReadEntry(row)),
            cancellationToken).ConfigureAwait(false);
        if (items.Count <= filter.PageSize)
        {
            return new EntryPage(items, null);
        }

        items.RemoveAt(items.Count - 1);
        var last = items[^1];
        return new EntryPage(items, filter.NewestFirst
            ? string.Create(CultureInfo.InvariantCulture, $"{NewestFirstTokenPrefix}{last.RecordedAt}|{last.Chain}|{last.Sequence}")
            : string.Create(CultureInfo.InvariantCulture, $"{PageTokenPrefix}{last.Chain}:{last.Sequence}"));
    }

    /// <inheritdoc/>
    public async Task<ArchivedRevision?> GetRevisionAsync(string revision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revision);
        (string Name, string Version)? identity = null;
        await ReadAsync(PostgresSql.Revision, p => p.AddWithValue(revision), row => identity = (row.GetString(0), row.GetString(1)), cancellationToken).ConfigureAwait(false);
        if (identity is not { } found)
        {
            return null;
        }

        var files = new List<RuleSetFile>();
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        await ReadAsync(PostgresSql.RevisionFiles, p => p.AddWithValue(revision), row =>
        {
            files.Add(new RuleSetFile(row.GetString(0), row.GetFieldValue<byte[]>(1)));
            if (!row.IsDBNull(2))
            {
                digests[row.GetString(0)] = row.GetString(2);
            }
        }, cancellationToken).ConfigureAwait(false);
        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new ArchivedRevision(new RulesetIdentity(found.Name, found.Version, revision), files) { FileDigests = digests };
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> ListRevisionsAsync(CancellationToken cancellationToken = default)
    {
        var revisions = new List<string>();
        await ReadAsync(PostgresSql.Revisions, _ => { }, row => revisions.Add(row.GetString(0)), cancellationToken).ConfigureAwait(false);
        revisions.Sort(StringComparer.Ordinal);
        return revisions;
    }

    /// <summary>The last verified point recorded for this reader's chain (a reader of one chain: <see cref="Chain"/>); null when none was.</summary>
    /// <exception cref="AuditStoreUnavailableException">The database cannot be read.</exception>
    /// <exception cref="InvalidOperationException">This reader is the store-wide one, not a chain's.</exception>
    public async Task<AuditHead?> GetVerifiedPointAsync(CancellationToken cancellationToken = default)
    {
        var chain = RequireChain();
        AuditHead? point = null;
        await ReadAsync(PostgresSql.VerifiedPoint, p => p.AddWithValue(chain), row => point = new AuditHead(row.GetInt64(0), row.GetString(1)), cancellationToken).ConfigureAwait(false);
        return point;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RevisionUse>> ListRevisionUsesAsync(CancellationToken cancellationToken = default)
    {
        var revisions = new List<RevisionUse>();
        await ReadAsync(
            $"""
            SELECT r.revision, r.name, r.version, coalesce(u.decisions, 0), u.first_at, u.last_at
            FROM {PostgresAuditSchema.Name}.revisions AS r LEFT JOIN (
              SELECT revision, count(*) AS decisions, min(recorded_at) AS first_at, max(recorded_at) AS last_at
              FROM {PostgresAuditSchema.Name}.entries WHERE kind = 'decision' GROUP BY revision) AS u ON u.revision = r.revision
            ORDER BY u.first_at IS NULL, u.first_at, r.revision COLLATE "C";
            """,
            _ => { },
            row => revisions.Add(new RevisionUse(
                new RulesetIdentity(row.GetString(1), row.GetString(2), row.GetString(0)),
                row.GetInt64(3),
                row.IsDBNull(4) ? null : row.GetString(4),
                row.IsDBNull(5) ? null : row.GetString(5))),
            cancellationToken).ConfigureAwait(false);
        return revisions;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RulesetIdentity>> ListArchivedRevisionsAsync(CancellationToken cancellationToken = default)
    {
        var revisions = new List<RulesetIdentity>();
        await ReadAsync(
            $"""
            SELECT r.revision, r.name, r.version FROM {PostgresAuditSchema.Name}.revisions AS r
            ORDER BY (SELECT min(e.recorded_at) FROM {PostgresAuditSchema.Name}.entries AS e WHERE e.revision = r.revision) NULLS LAST, r.revision COLLATE "C";
            """,
            _ => { },
            row => revisions.Add(new RulesetIdentity(row.GetString(1), row.GetString(2), row.GetString(0))),
            cancellationToken).ConfigureAwait(false);
        return revisions;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<VerdictCount>> CountVerdictsPerDayAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var counts = new List<VerdictCount>();
        await ReadAsync(
            $"""
            SELECT substr(recorded_at, 1, 10) AS day, verdict, count(*) FROM {PostgresAuditSchema.Name}.entries
            WHERE kind = 'decision' AND recorded_at >= $1 AND recorded_at < $2
            GROUP BY day, verdict ORDER BY day, verdict COLLATE "C";
            """,
            p =>
            {
                p.AddWithValue(AuditTime.Write(from));
                p.AddWithValue(AuditTime.Write(to));
            },
            row => counts.Add(new VerdictCount(AuditTime.ReadDate(row.GetString(0)), row.GetString(1), row.GetInt64(2))),
            cancellationToken).ConfigureAwait(false);
        return counts;
    }

    /// <inheritdoc/>
    public async Task<RuleFirings> CountRuleFiringsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        void Bind(NpgsqlParameterCollection p)
        {
            p.AddWithValue(AuditTime.Write(from));
            p.AddWithValue(AuditTime.Write(to));
        }

        var decisions = new Dictionary<string, long>(StringComparer.Ordinal);
        await ReadAsync(
            $"SELECT revision, count(*) FROM {PostgresAuditSchema.Name}.entries WHERE kind = 'decision' AND recorded_at >= $1 AND recorded_at < $2 GROUP BY revision;",
            Bind,
            row => decisions[row.GetString(0)] = row.GetInt64(1),
            cancellationToken).ConfigureAwait(false);
        var counts = new List<RuleFiringCount>();
        await ReadAsync(
            $"""
            SELECT d.revision, r.rule_id, count(*) FROM {PostgresAuditSchema.Name}.entries AS d,
              jsonb_array_elements_text(d.rule_ids::jsonb) AS r (rule_id)
            WHERE d.kind = 'decision' AND d.recorded_at >= $1 AND d.recorded_at < $2
            GROUP BY d.revision, r.rule_id ORDER BY d.revision COLLATE "C", r.rule_id COLLATE "C";
            """,
            Bind,
            row => counts.Add(new RuleFiringCount(row.GetString(0), row.GetString(1), row.GetInt64(2))),
            cancellationToken).ConfigureAwait(false);
        return new RuleFirings(decisions, counts);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, long>> ReadChainHeadsAsync(CancellationToken cancellationToken = default)
    {
        var heads = new Dictionary<string, long>(StringComparer.Ordinal);
        await ReadAsync(PostgresSql.ChainHeads, _ => { }, row => heads[row.GetString(0)] = row.GetInt64(1), cancellationToken).ConfigureAwait(false);
        return heads;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<DecisionSummary> ReadDecisionSummariesAsync(
        string chainId,
        long afterSequence,
        long throughSequence,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        var rows = new List<DecisionSummary>();
        await ReadAsync(
            PostgresSql.DecisionSummaries,
            p =>
            {
                p.AddWithValue(chainId);
                p.AddWithValue(afterSequence);
                p.AddWithValue(throughSequence);
            },
            row => rows.Add(DecisionSummary.Read(row)),
            cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            yield return row;
        }
    }

    /// <summary>True when <paramref name="revision"/> is archived.</summary>
    /// <exception cref="AuditStoreUnavailableException">The database cannot be read.</exception>
    public async Task<bool> IsRevisionArchivedAsync(string revision, CancellationToken cancellationToken = default)
    {
        var archived = false;
        await ReadAsync(PostgresSql.IsArchived, p => p.AddWithValue(revision), row => archived = row.GetBoolean(0), cancellationToken).ConfigureAwait(false);
        return archived;
    }

    /// <summary>
    /// The pseudonym key each chain last recorded a patient under: per chain, the key id of its latest decision that
    /// names a patient (looking through its last 64 decisions), in chain order; a chain without one is left out. Reads
    /// one index range and those records per chain.
    /// </summary>
    /// <exception cref="AuditStoreUnavailableException">The database cannot be read, or one of those records is not JSON.</exception>
    public async Task<IReadOnlyList<ChainKeyUse>> ReadLatestKeyUsesAsync(CancellationToken cancellationToken = default)
    {
        var uses = new List<ChainKeyUse>();
        await ReadAsync(
            PostgresSql.LatestKeyUses,
            _ => { },
            row => uses.Add(new ChainKeyUse(row.GetString(0), row.GetString(3), row.GetInt64(1), AuditTime.Read(row.GetString(2)))),
            cancellationToken).ConfigureAwait(false);
        return uses;
    }

    /// <summary>The store's id (a UUID given by the first migration), named in checkpoint origins.</summary>
    public async Task<Guid> StoreIdAsync(CancellationToken cancellationToken = default)
    {
        var id = Guid.Empty;
        await ReadAsync(PostgresSql.StoreId, _ => { }, row => id = row.GetGuid(0), cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>Append-only triggers that are missing or disabled (someone with the owner role removed them); empty normally.</summary>
    public async Task<IReadOnlyList<string>> MissingTriggersAsync(CancellationToken cancellationToken = default)
    {
        var enabled = new HashSet<string>(StringComparer.Ordinal);
        await ReadAsync(PostgresSql.EnabledTriggers, _ => { }, row => enabled.Add(row.GetString(0)), cancellationToken).ConfigureAwait(false);
        return [.. PostgresAuditSchema.Triggers.Where(t => !enabled.Contains(t))];
    }

    /// <summary>Closes the pool when this reader opened it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private string RequireChain() =>
        _chainId ?? throw new InvalidOperationException("A store-wide reader has no head: read a chain's head through Chain(id).");

    private static (string Chain, long Sequence) ReadPageToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return ("", 0);
        }

        var colon = token.LastIndexOf(':');
        return token.StartsWith(PageTokenPrefix, StringComparison.Ordinal) && colon > PageTokenPrefix.Length && !ControlCharacters.In(token)
            && long.TryParse(token.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? (token[PageTokenPrefix.Length..colon], sequence)
            : throw new ArgumentException("Not a page token this store issued.", nameof(token));
    }

    private static (string RecordedAt, string Chain, long Sequence)? ReadNewestFirstToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var parts = token.StartsWith(NewestFirstTokenPrefix, StringComparison.Ordinal) ? token[NewestFirstTokenPrefix.Length..].Split('|') : [];
        if (parts is [var at, { Length: > 0 } chain, var number]
            && !ControlCharacters.In(chain)
            && long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            && IsAuditTime(at))
        {
            return (at, chain, sequence);
        }

        throw new ArgumentException("Not a page token this store issued for this order.", nameof(token));
    }

    private static bool IsAuditTime(string text)
    {
        try
        {
            return text.Length == AuditTime.Length && AuditTime.Write(AuditTime.Read(text)) == text;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string ReplaceFirst(string text, string placeholder, string value)
    {
        var at = text.IndexOf(placeholder, StringComparison.Ordinal);
        return text[..at] + value + text[(at + placeholder.Length)..];
    }

    /// <summary>Runs one query on a pooled connection, turning a database failure into <see cref="AuditStoreUnavailableException"/>.</summary>
    private async Task ReadAsync(string sql, Action<NpgsqlParameterCollection> bind, Action<NpgsqlDataReader> read, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _dataSource.CreateCommand(sql);
            bind(command.Parameters);
            await using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                read(row);
            }
        }
        catch (NpgsqlException ex)
        {
            throw PostgresSql.Unavailable("the audit database cannot be read", ex);
        }
    }
}
