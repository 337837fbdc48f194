using SafetyCheck.Audit;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Cli;

/// <summary>
/// One run of an <c>audit</c> verb: the database path from the same configuration as <c>serve</c> (<c>--audit-db</c>, then
/// <c>SafetyCheck__Audit__DatabasePath</c>, then appsettings.json, then the default), a read-only reader that takes no
/// lock (so the verbs work while <c>serve</c> runs), and the exit-code mapping every audit verb shares.
/// </summary>
internal sealed class AuditCliRun(AuditPaths paths, TextWriter output, TextWriter error)
{
    private SqliteAuditReader? _reader;

    public AuditPaths Paths { get; } = paths;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>The reader of the database, opened on first use.</summary>
    /// <exception cref="AuditStoreUnavailableException">There is no database at the path.</exception>
    public SqliteAuditReader Reader => _reader ??= new SqliteAuditReader(Paths.DatabasePath);

    /// <summary>
    /// Runs <paramref name="body"/>: exit 1 when the database or a file cannot be read, 2 for a bad argument
    /// (<see cref="AuditUsageException"/>, or an unexpected token), else what the body returns.
    /// </summary>
    public static async Task<int> RunAsync(ParseResult parse, string? databaseFlag, Func<AuditCliRun, Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(body);
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        if (parse.UnmatchedTokens.Count > 0)
        {
            await error.WriteLineAsync($"unexpected argument '{parse.UnmatchedTokens[0]}'; see {parse.CommandResult.Command.Name} --help").ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        try
        {
            var paths = AuditPaths.Resolve(databaseFlag, SafetyCheckConfiguration.Build());
            return await body(new AuditCliRun(paths, output, error)).ConfigureAwait(false);
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
