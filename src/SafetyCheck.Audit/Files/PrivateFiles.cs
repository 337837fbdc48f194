namespace SafetyCheck.Audit.Files;

/// <summary>
/// Creates the audit trail's files and folders owner-only from the first instant: folders 0700, files 0600, given to
/// the create call itself (never created wider and narrowed afterwards) and set again explicitly after creation, so the
/// process umask changes nothing. On Windows the folder's inherited ACL applies.
/// </summary>
public static class PrivateFiles
{
    /// <summary>Owner read and write: 0600.</summary>
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner read, write and search: 0700.</summary>
    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates <paramref name="directory"/> and any missing parents as 0700. Folders that already exist are left as they
    /// are (they may be shared on purpose).
    /// </summary>
    /// <exception cref="IOException">A folder cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">A folder cannot be created.</exception>
    public static void CreateDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (Directory.Exists(full))
        {
            return;
        }

        if (Path.GetDirectoryName(full) is { Length: > 0 } parent && parent != full)
        {
            CreateDirectory(parent);
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(full);
            return;
        }

        Directory.CreateDirectory(full, OwnerOnlyDirectory);
        File.SetUnixFileMode(full, OwnerOnlyDirectory);
    }

    /// <summary>Creates the parent folder of <paramref name="path"/> when missing (0700).</summary>
    public static void CreateParentDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { Length: > 0 } directory)
        {
            CreateDirectory(directory);
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/> with <paramref name="mode"/>; a file this call creates, or replaces
    /// (<see cref="FileMode.Create"/>), is 0600; an existing file opened otherwise keeps its mode.
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened or created (for <see cref="FileMode.CreateNew"/>: it exists).</exception>
    public static FileStream Open(string path, FileMode mode, FileAccess access, FileShare share)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        var existed = mode != FileMode.CreateNew && File.Exists(path);
        if (!OperatingSystem.IsWindows() && access.HasFlag(FileAccess.Write) && mode != FileMode.Open)
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        var stream = new FileStream(path, options);
        if ((!existed || mode == FileMode.Create) && !OperatingSystem.IsWindows() && access.HasFlag(FileAccess.Write))
        {
            File.SetUnixFileMode(stream.SafeFileHandle, OwnerOnlyFile);
        }

        return stream;
    }

    /// <summary>Creates <paramref name="path"/> as an empty 0600 file unless it exists (its folder too, 0700).</summary>
    public static void EnsureFile(string path)
    {
        CreateParentDirectory(path);
        if (File.Exists(path))
        {
            return;
        }

        try
        {
            using var created = Open(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created by someone else in the meantime; theirs stands.
        }
    }

    /// <summary>
    /// Narrows <paramref name="path"/> to 0600 when its mode gives its group or others any right (a file restored or
    /// copied with a wide mode), and returns the mode it had; null when it was owner-only already, or on Windows.
    /// </summary>
    /// <exception cref="IOException">The file's mode cannot be read or set.</exception>
    /// <exception cref="UnauthorizedAccessException">The file's mode cannot be set.</exception>
    public static UnixFileMode? NarrowToOwner(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & ~OwnerOnlyDirectory) == 0)
        {
            return null;
        }

        File.SetUnixFileMode(path, mode & OwnerOnlyFile);
        return mode;
    }

    /// <summary>
    /// Writes <paramref name="content"/> to a new 0600 file and syncs it; false when the file already exists (it is
    /// left as it is).
    /// </summary>
    public static bool TryWriteNew(string path, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        CreateParentDirectory(path);
        try
        {
            using var stream = Open(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            Write(stream, content);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/>, replacing what it held; a file this call creates
    /// is 0600, and an existing one is narrowed to 0600 (it holds what the service wrote: a checkpoint, an export).
    /// </summary>
    public static void Write(string path, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var stream = Open(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(stream, content);
    }

    private static void Write(FileStream stream, string content)
    {
        using var writer = new StreamWriter(stream);
        writer.Write(content);
        writer.Flush();
        stream.Flush(flushToDisk: true);
    }
}
