using SafetyCheck.Audit;
using SafetyCheck.Audit.Checkpoints;
using SafetyCheck.Audit.PostgreSql;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Cli;

/// <summary>
/// One run of an <c>audit</c> verb: the store from the same configuration as <c>serve</c> (<c>SafetyCheck:Audit:Provider</c>;
/// for SQLite the database path from <c>--audit-db</c>, then <c>SafetyCheck__Audit__DatabasePath</c>, then
/// appsettings.json, then the default; for PostgreSQL <c>SafetyCheck:Audit:ConnectionString</c>), a reader that takes no
/// lock (so the verbs work while <c>serve</c> runs), and the exit-code mapping every audit verb shares.
/// </summary>
internal sealed class AuditCliRun(AuditPaths paths, AuditStoreSettings settings, TextWriter output, TextWriter error) : IAsyncDisposable
{
    private SqliteAuditReader? _sqlite;
    private PostgresAuditReader? _postgres;

    public AuditPaths Paths { get; } = paths;

    public AuditStoreSettings Settings { get; } = settings;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>The store, for messages: the SQLite file, or the PostgreSQL database (without its password).</summary>
    public string StoreName => Settings.Describe(Paths);

    /// <summary>The store-wide reader (look-ups, lists, the archive), opened on first use.</summary>
    /// <exception cref="AuditStoreUnavailableException">There is no database, or it cannot be read.</exception>
    public IAuditReader Reader => Settings.Provider == AuditProvider.PostgreSql ? Postgres : Sqlite;

    /// <summary>Every chain of the store: the SQLite file's one, or one per instance in PostgreSQL.</summary>
    /// <exception cref="AuditStoreUnavailableException">There is no database, or it cannot be read.</exception>
    public IAuditChainSet Chains => Settings.Provider == AuditProvider.PostgreSql ? Postgres : new SingleChainSet(Sqlite);

    /// <summary>The SQLite file's reader, opened on first use (for what only a SQLite file has: its pages, to copy).</summary>
    /// <exception cref="AuditStoreUnavailableException">There is no database.</exception>
    public SqliteAuditReader Sqlite => _sqlite ??= new SqliteAuditReader(Paths.DatabasePath);

    private PostgresAuditReader Postgres => _postgres ??= PostgresAuditReader.OpenAsync(Settings.ConnectionString!).GetAwaiter().GetResult();

    /// <summary>Append-only triggers missing from the store (dropped or disabled by someone with file access or the owner role).</summary>
    public Task<IReadOnlyList<string>> MissingTriggersAsync(CancellationToken cancellationToken) =>
        Settings.Provider == AuditProvider.PostgreSql ? Postgres.MissingTriggersAsync(cancellationToken) : Sqlite.MissingTriggersAsync(cancellationToken);

    /// <summary>The pseudonym key each chain last recorded a patient under (the SQLite file's one chain is <c>""</c>).</summary>
    public Task<IReadOnlyList<ChainKeyUse>> LatestKeyUsesAsync(CancellationToken cancellationToken) =>
        Settings.Provider == AuditProvider.PostgreSql ? Postgres.ReadLatestKeyUsesAsync(cancellationToken) : Sqlite.ReadLatestKeyUsesAsync(cancellationToken);

    /// <summary>The SQLite chain's latest decision that names a patient under another key than <paramref name="keyId"/>, if any.</summary>
    public Task<ChainKeyUse?> LatestKeyUseOtherThanAsync(string keyId, CancellationToken cancellationToken) =>
        Sqlite.ReadLatestKeyUseOtherThanAsync(keyId, cancellationToken);

    /// <summary>The origin a checkpoint of <paramref name="chainId"/> names: the host and file, or the store id and chain.</summary>
    public async Task<string> OriginAsync(string chainId, CancellationToken cancellationToken) =>
        Settings.Provider == AuditProvider.PostgreSql
            ? ChainOrigin.For((await Postgres.StoreIdAsync(cancellationToken).ConfigureAwait(false)).ToString(), chainId)
            : $"safetycheck {Environment.MachineName} {Paths.DatabasePath}";

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/>: exit 1 when the database or a file cannot be read, 2 for a bad argument
    /// (<see cref="AuditUsageException"/>; one the parser refuses never gets here: <see cref="BadCommandLine"/>), else what
    /// the body returns.
    /// </summary>
    public static async Task<int> RunAsync(ParseResult parse, string? databaseFlag, Func<AuditCliRun, Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(body);
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        try
        {
            var configuration = SafetyCheckConfiguration.Build();
            var paths = AuditPaths.Resolve(databaseFlag, configuration);
            AuditStoreSettings settings;
            try
            {
                settings = AuditStoreSettings.Resolve(configuration);
            }
            catch (ArgumentException ex)
            {
                await error.WriteLineAsync($"cannot run: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.CannotRun;
            }

            var run = new AuditCliRun(paths, settings, output, error);
            await using (run.ConfigureAwait(false))
            {
                return await body(run).ConfigureAwait(false);
            }
        }
        catch (AuditUsageException ex) when (ex.SeeHelp)
        {
            return await BadCommandLine.RejectAsync(parse, ex.Message).ConfigureAwait(false);
        }
        catch (AuditUsageException ex)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.Rejected;
        }
        catch (AuditStoreUnavailableException ex)
        {
            await error.WriteLineAsync($"cannot read the audit trail: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.CannotRun;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"cannot run: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.CannotRun;
        }
    }
}
