using System.Security.Cryptography;
using SafetyCheck.Audit;
using SafetyCheck.Audit.Checkpoints;

namespace SafetyCheck.AuditPage;

/// <summary>
/// The checkpoints kept in <see cref="AuditPageOptions.CheckpointDirectory"/> (default: <c>checkpoints</c> beside the
/// SQLite database), as <c>audit checkpoint --output DIR/….txt</c> writes them, and the key they are checked with. The
/// newest checkpoint of each chain is the one the trail is verified against: a checkpoint vouches for every record
/// up to its size, and the newest covers the most.
/// </summary>
internal sealed class CheckpointFolder(IOptions<AuditPageOptions> options, AuditPaths paths, AuditStoreSettings store, ILogger<CheckpointFolder> log)
{
    /// <summary>Files read at most: a directory of daily checkpoints holds about 365 a year.</summary>
    public const int MaxFiles = 5000;

    /// <summary>Largest checkpoint file read, in bytes (one checkpoint is about 300 bytes; a file holds one per chain).</summary>
    public const long MaxFileBytes = 256 * 1024;

    /// <summary>The directory; null when none is configured and the store has no default (PostgreSQL).</summary>
    public string? Directory { get; } = Resolve(options.Value, paths, store);

    /// <summary>The newest checkpoint of each chain, in chain order; empty when there is no directory or no checkpoint in it.</summary>
    public IReadOnlyList<KeptCheckpoint> Latest()
    {
        if (Directory is null || !System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var found = new List<KeptCheckpoint>();
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory).Order(StringComparer.Ordinal).Take(MaxFiles))
        {
            var name = Path.GetFileName(file);
            try
            {
                if (new FileInfo(file).Length > MaxFileBytes)
                {
                    continue;
                }

                var text = File.ReadAllText(file);
                var (checkpoints, problem) = Read(text);
                found.AddRange(checkpoints.Select(c => new KeptCheckpoint(ChainOrigin.ChainOf(c.Origin) ?? "", name, c)));
                if (problem is not null && text.StartsWith(Checkpoint.HeaderPrefix, StringComparison.Ordinal))
                {
                    // It says it is a checkpoint but the library does not read it: worth a line, unlike notes kept beside them.
                    AuditPageLog.CheckpointUnreadable(log, Directory, name, problem);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                AuditPageLog.CheckpointUnreadable(log, Directory, name, ex.Message);
            }
        }

        return [.. found.GroupBy(k => k.Chain, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(k => k.Checkpoint.Time).ThenByDescending(k => k.Checkpoint.Size).First())
            .OrderBy(k => k.Chain, StringComparer.Ordinal)];
    }

    /// <summary>The key to check checkpoints with; null when there is none (the trail is then verified without them).</summary>
    /// <exception cref="IOException">The configured key file cannot be read.</exception>
    /// <exception cref="CryptographicException">The key file holds no P-256 key.</exception>
    public ECDsa? Key()
    {
        var configured = options.Value.CheckpointPublicKeyFile;
        return string.IsNullOrWhiteSpace(configured)
            ? CheckpointKeys.ForVerification(null, paths)
            : CheckpointKeys.ForVerification(File.ReadAllText(Path.GetFullPath(configured, Environment.CurrentDirectory)), paths);
    }

    /// <summary>
    /// The checkpoints in a file's <paramref name="text"/> (one, or one per chain as <c>audit checkpoint</c> writes for a
    /// store of several chains), read by the library's own parser, so every version <c>audit verify --checkpoint</c> reads
    /// is read here; none, with the parser's reason, when any part of it is not a checkpoint.
    /// </summary>
    internal static (IReadOnlyList<Checkpoint> Checkpoints, string? Problem) Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            var parts = ChainOrigin.SplitCheckpoints(text);
            return parts.Count == 0 ? ([], "the file is empty") : ([.. parts.Select(Checkpoint.Parse)], null);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            return ([], ex.Message);
        }
    }

    private static string? Resolve(AuditPageOptions options, AuditPaths paths, AuditStoreSettings store) =>
        !string.IsNullOrWhiteSpace(options.CheckpointDirectory) ? Path.GetFullPath(options.CheckpointDirectory, Environment.CurrentDirectory)
        : store.Provider == AuditProvider.Sqlite ? Path.Combine(Path.GetDirectoryName(paths.DatabasePath)!, "checkpoints")
        : null;
}
