using System.Globalization;

namespace SafetyCheck.Audit;

/// <summary>
/// The SQLite trail's files (the database and SQLite's <c>-wal</c> and <c>-shm</c>) whose mode gives their group or
/// others any right: the service creates them 0600, but a database made by an early version, or copied or restored with
/// a wide mode, keeps the mode it has. They are named in a warning at start, not changed: a group may read them on
/// purpose (a backup account), and the operator decides.
/// </summary>
internal static class TrailFileModes
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Each existing trail file of <paramref name="databasePath"/> open to its group or others, with its mode; empty on Windows.</summary>
    public static IReadOnlyList<(string Path, UnixFileMode Mode)> OpenToOthers(string databasePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        if (OperatingSystem.IsWindows())
        {
            return [];
        }

        var found = new List<(string, UnixFileMode)>();
        foreach (var path in (string[])[databasePath, databasePath + "-wal", databasePath + "-shm"])
        {
            try
            {
                var mode = File.GetUnixFileMode(path);
                if ((mode & GroupOrOthers) != 0)
                {
                    found.Add((path, mode));
                }
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                // SQLite removes -wal and -shm when the last connection closes.
            }
        }

        return found;
    }

    /// <summary>A mode as four octal digits (<c>0644</c>).</summary>
    public static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    /// <summary>The warning's two values: each file with its mode, and the command that makes them owner-only.</summary>
    public static (string Files, string Command) Describe(IReadOnlyList<(string Path, UnixFileMode Mode)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return (
            string.Join(", ", files.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Path} ({Octal(f.Mode)})"))),
            "chmod 600 " + string.Join(' ', files.Select(f => "'" + f.Path.Replace("'", "'\\''", StringComparison.Ordinal) + "'")));
    }
}
