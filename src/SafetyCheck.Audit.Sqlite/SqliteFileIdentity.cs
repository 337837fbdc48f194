using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace SafetyCheck.Audit.Sqlite;

/// <summary>
/// Whether the audit database a connection holds open is still the file its path names. Deleting, moving or replacing
/// the file (or its folder) under a running writer leaves SQLite writing to a file no path reaches: every commit after
/// that would be acknowledged and lost when the process ends. SQLite's Unix file layer answers the question itself
/// (<c>SQLITE_FCNTL_HAS_MOVED</c>: the path no longer names the open file, or the file has no name left); the WAL file
/// is checked by its path, because SQLite keeps it while any connection is open.
/// </summary>
internal static partial class SqliteFileIdentity
{
    private const int FileControlHasMoved = 20; // SQLITE_FCNTL_HAS_MOVED
    private const int Ok = 0;

    /// <summary>
    /// Why the database at <paramref name="path"/> is no longer the one <paramref name="connection"/> writes to, or null
    /// while it is. <paramref name="walExpected"/>: a commit was made on this connection, so the <c>-wal</c> file exists.
    /// </summary>
    public static string? Problem(SqliteConnection connection, string path, bool walExpected)
    {
        if (!OperatingSystem.IsWindows() && HasMoved(connection))
        {
            return $"the audit database {path} was deleted, moved or replaced while this process held it open";
        }

        if (walExpected && !File.Exists(path + "-wal"))
        {
            return $"the audit database's write-ahead log {path}-wal was deleted while this process held it open";
        }

        return null;
    }

    private static bool HasMoved(SqliteConnection connection)
    {
        int moved = 0;
        try
        {
            // Anything but SQLITE_OK (a file layer without the control) says nothing: the WAL check still applies.
            return FileControl(connection.Handle!.DangerousGetHandle(), "main", FileControlHasMoved, ref moved) == Ok && moved != 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_file_control", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FileControl(IntPtr db, string name, int op, ref int value);
}
