using System.Security.Cryptography;
using System.Text;

namespace SafetyCheck.Cli;

/// <summary>
/// Writes the files the CLI writes (<c>fmt</c> and <c>terminology expand</c> in a rule directory, the reports of
/// <c>report</c> and <c>test --junit</c>) whole or not at all: each
/// new text goes to a temporary file beside its file (<c>.NAME.RANDOM.tmp</c>, created new), is synced to disk, and
/// only when every one is written are they renamed over their files, an atomic replacement on the same file system.
/// A failure while writing (the disk is full, the folder cannot be written, cancellation) deletes the temporaries and
/// leaves every file as it was; an existing file's Unix mode is kept (a new file gets the usual mode the umask
/// leaves), and a symbolic link is followed, so the file it points at is replaced and the link stays.
/// </summary>
internal static class FileReplacement
{
    /// <summary>The most characters of the file's name its temporary's name repeats (at most 3 UTF-8 bytes each).</summary>
    private const int MaxNameKept = 64;

    /// <summary>UTF-8 without a byte order mark, refusing (rather than replacing) a string that is not Unicode text.</summary>
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Replaces (or creates) <paramref name="path"/> with <paramref name="text"/>, UTF-8 without a byte order mark.</summary>
    /// <exception cref="IOException">The file cannot be written; it is left as it was.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be written; it is left as it was.</exception>
    public static Task ReplaceAsync(string path, string text, CancellationToken cancellationToken) =>
        ReplaceAllAsync([(path, text)], cancellationToken);

    /// <summary>
    /// Replaces (or creates) each file with its text, UTF-8 without a byte order mark, all temporaries written before
    /// any file is replaced. Text that is not Unicode text (an unpaired surrogate) throws
    /// <see cref="EncoderFallbackException"/> before anything is written.
    /// </summary>
    /// <exception cref="IOException">
    /// A file cannot be written: every file is left as it was. (Should a rename itself fail, once every temporary is
    /// written and synced, the files renamed before it are replaced and the others left as they were.)
    /// </exception>
    /// <exception cref="UnauthorizedAccessException">As <see cref="IOException"/>.</exception>
    public static Task ReplaceAllAsync(IReadOnlyList<(string Path, string Text)> files, CancellationToken cancellationToken) =>
        ReplaceAllAsync(files, static (stream, content, token) => stream.WriteAsync(content, token), cancellationToken);

    /// <summary>As <see cref="ReplaceAllAsync(IReadOnlyList{ValueTuple{string, string}}, CancellationToken)"/>, each temporary written by <paramref name="write"/>.</summary>
    internal static async Task ReplaceAllAsync(
        IReadOnlyList<(string Path, string Text)> files,
        Func<FileStream, ReadOnlyMemory<byte>, CancellationToken, ValueTask> write,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(write);
        var contents = files.Select(f => (Target: Target(f.Path), Bytes: Utf8.GetBytes(f.Text))).ToList();
        var temporaries = new List<string>(contents.Count);
        int replaced = 0;
        try
        {
            foreach (var (target, bytes) in contents)
            {
                var temporary = TemporaryPath(target);
                temporaries.Add(temporary);
                await WriteTemporaryAsync(temporary, target, bytes, write, cancellationToken).ConfigureAwait(false);
            }

            for (; replaced < contents.Count; replaced++)
            {
                File.Move(temporaries[replaced], contents[replaced].Target, overwrite: true);
            }
        }
        finally
        {
            foreach (var temporary in temporaries.Skip(replaced))
            {
                DeleteQuietly(temporary);
            }
        }
    }

    /// <summary>The file <paramref name="path"/> names: the final target of a symbolic link, else the path itself.</summary>
    private static string Target(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target ? Path.GetFullPath(target.FullName) : full;
        }
        catch (FileNotFoundException)
        {
            return full; // A new file.
        }
    }

    /// <summary>A new name beside <paramref name="target"/>, within the 255 bytes a file name may have however long its name is.</summary>
    internal static string TemporaryPath(string target)
    {
        var name = Path.GetFileName(target);
        if (name.Length > MaxNameKept)
        {
            name = name[..(char.IsHighSurrogate(name[MaxNameKept - 1]) ? MaxNameKept - 1 : MaxNameKept)];
        }

        return Path.Combine(Path.GetDirectoryName(target)!, $".{name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
    }

    private static async Task WriteTemporaryAsync(
        string temporary, string target, byte[] bytes, Func<FileStream, ReadOnlyMemory<byte>, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        UnixFileMode? mode = !OperatingSystem.IsWindows() && File.Exists(target) ? File.GetUnixFileMode(target) : null;
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
            PreallocationSize = bytes.Length,
        };
        if (mode is { } created && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = created;
        }

        var stream = new FileStream(temporary, options);
        await using (stream.ConfigureAwait(false))
        {
            if (mode is { } kept && !OperatingSystem.IsWindows())
            {
                // The create call's mode is narrowed by the umask: the file keeps exactly the mode it had.
                File.SetUnixFileMode(stream.SafeFileHandle, kept);
            }

            await write(stream, bytes, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
    }

    private static void DeleteQuietly(string temporary)
    {
        try
        {
            File.Delete(temporary);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing more can be done: the original is untouched and the temporary's name says what it is.
        }
    }
}
