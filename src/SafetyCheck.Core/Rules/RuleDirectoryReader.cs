namespace SafetyCheck.Core.Rules;

/// <summary>
/// Walks a rule directory the way every reader of it does (the loader, the rule suite, <c>fmt</c>, the reload watch):
/// its real folders only, and within bounds. A symbolic link to a folder (or a Windows junction) inside the directory
/// is not descended into: it is one problem naming it, so a link to <c>..</c> or to <c>/</c> is refused at once rather
/// than read round a loop or across the disk. A symbolic link to a file is read as the file it points to. The directory
/// itself may be a symbolic link (<c>--rules</c> pointed at one): only links inside it are refused. Past
/// <see cref="MaxEntries"/> files and folders the walk stops, a file larger than <see cref="MaxFileBytes"/> is not read,
/// and reading stops once the files come to more than <see cref="MaxTotalBytes"/>: each is a problem naming the limit.
/// </summary>
public static class RuleDirectoryReader
{
    /// <summary>
    /// The most files and folders a rule directory may hold, counted as they are walked (names only, before anything is
    /// read). The shipped rule set is about 200; a set whose terminology grew a hundredfold is still inside it, while
    /// <c>--rules</c> pointed at the wrong folder (a home directory, a checkout with its build output) is refused after
    /// listing 20,000 names rather than read into memory at every reload and every poll.
    /// </summary>
    public const int MaxEntries = 20_000;

    /// <summary>
    /// The largest file read, in bytes (16 MiB). The largest shipped file, the ICD-10-CM code table, is under 1 MB; a
    /// file larger than this is not a rule-set file (a log, a database, a device a link points to).
    /// </summary>
    public const long MaxFileBytes = 16L * 1024 * 1024;

    /// <summary>
    /// The most bytes one read of a directory takes into memory (64 MiB): about twenty times the shipped rules and
    /// their cases. Every revision that serves is archived in the audit trail for good, so a rule set anywhere near it
    /// is a mistake, not growth.
    /// </summary>
    public const long MaxTotalBytes = 64L * 1024 * 1024;

    /// <summary>
    /// The files under <paramref name="directory"/> (symbolic links to files included, links to folders not descended
    /// into), ordinal by relative path, and what stands in the way of reading them. Never throws for what it finds:
    /// a folder that cannot be listed, a link to a folder, too many entries are <see cref="RuleDirectoryListing.Problems"/>.
    /// </summary>
    public static RuleDirectoryListing List(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var root = Path.GetFullPath(directory);
        var files = new List<RuleDirectoryFile>();
        var folderLinks = new List<RuleDirectoryFile>();
        var problems = new List<Diagnostic>();
        var pending = new Stack<(DirectoryInfo Folder, string Relative)>();
        pending.Push((new DirectoryInfo(root), ""));
        var entries = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = false, AttributesToSkip = 0, ReturnSpecialDirectories = false };
        while (pending.TryPop(out var next))
        {
            List<FileSystemInfo> children;
            try
            {
                children = [.. next.Folder.EnumerateFileSystemInfos("*", options)];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add(new Diagnostic(next.Relative.Length == 0 ? "." : next.Relative, 0, 0, $"cannot read the folder: {ex.Message}"));
                continue;
            }

            foreach (var child in children)
            {
                if (++entries > MaxEntries)
                {
                    problems.Add(new Diagnostic(".", 0, 0,
                        $"the rule directory holds more than {MaxEntries} files and folders, the most a rule set is read from; nothing more was read: point --rules at the rule set's own folder"));
                    return new RuleDirectoryListing(root, Sorted(files), Sorted(folderLinks), problems) { Truncated = true };
                }

                var relative = next.Relative.Length == 0 ? child.Name : next.Relative + "/" + child.Name;
                var link = child.LinkTarget is not null || child.Attributes.HasFlag(FileAttributes.ReparsePoint);
                if (child is DirectoryInfo folder)
                {
                    if (link)
                    {
                        folderLinks.Add(new RuleDirectoryFile(relative, child));
                        problems.Add(new Diagnostic(relative, 0, 0,
                            $"{relative} is a symbolic link to a folder; the rule set is read from real folders only: copy the files in, or point --rules at the real folder"));
                    }
                    else
                    {
                        pending.Push((folder, relative));
                    }
                }
                else
                {
                    files.Add(new RuleDirectoryFile(relative, child));
                }
            }
        }

        return new RuleDirectoryListing(root, Sorted(files), Sorted(folderLinks), problems);
    }

    /// <summary>
    /// The files under <paramref name="directory"/> whose relative path <paramref name="include"/> accepts, read into
    /// memory, ordinal by relative path (forward slashes).
    /// </summary>
    /// <exception cref="RuleDirectoryUnreadableException">
    /// Anything in the way (<see cref="List"/>'s problems, a file that cannot be read or is past a limit), every problem
    /// named by its path relative to the directory.
    /// </exception>
    public static IReadOnlyList<RuleSetFile> Read(string directory, Func<string, bool> include)
    {
        ArgumentNullException.ThrowIfNull(include);
        var listing = List(directory);
        var problems = listing.Problems.ToList();
        var read = new List<RuleSetFile>();
        long total = 0;
        foreach (var file in listing.Truncated ? [] : listing.Files.Where(f => include(f.Path)))
        {
            try
            {
                var content = ReadBounded(file.Info.FullName);
                if (content is null)
                {
                    problems.Add(new Diagnostic(file.Path, 0, 0, $"the file is larger than {MaxFileBytes / (1024 * 1024)} MiB, the most a rule-set file may hold; it was not read"));
                    continue;
                }

                total += content.Length;
                if (total > MaxTotalBytes)
                {
                    problems.Add(new Diagnostic(file.Path, 0, 0,
                        $"the files read come to more than {MaxTotalBytes / (1024 * 1024)} MiB, the most a rule set is read from; this file and those after it were not read"));
                    break;
                }

                read.Add(new RuleSetFile(file.Path, content));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add(new Diagnostic(file.Path, 0, 0, $"cannot read the file: {ex.Message}"));
            }
        }

        return problems.Count > 0 ? throw new RuleDirectoryUnreadableException(problems) : read;
    }

    /// <summary>The file's bytes (through a symbolic link, the target's); null when it holds more than <see cref="MaxFileBytes"/>.</summary>
    private static byte[]? ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
        if (stream.CanSeek && stream.Length > MaxFileBytes)
        {
            return null;
        }

        // Read to the end rather than trusting the length: a file may grow while it is read, and a device has none.
        using var buffer = new MemoryStream(stream.CanSeek ? (int)stream.Length : 0);
        var chunk = new byte[81920];
        int count;
        while ((count = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + count > MaxFileBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, count);
        }

        return buffer.ToArray();
    }

    private static List<RuleDirectoryFile> Sorted(List<RuleDirectoryFile> entries) => [.. entries.OrderBy(e => e.Path, StringComparer.Ordinal)];
}
