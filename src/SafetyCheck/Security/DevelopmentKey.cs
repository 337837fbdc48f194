using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace SafetyCheck.Security;

/// <summary>
/// The development API key: made by <c>serve</c> when no credentials are configured and it listens on loopback
/// only, kept in <c>.safetycheck/dev-key</c> (owner read/write only where the file system has modes) and reused by
/// later runs, so the README's one command works and clients can read the key from the file.
/// </summary>
internal static partial class DevelopmentKey
{
    /// <summary>The caller name the key authenticates as.</summary>
    public const string CallerName = "dev-key";

    /// <summary>The file name inside the key directory.</summary>
    public const string FileName = "dev-key";

    /// <summary>The key directory under the working directory.</summary>
    public const string DirectoryName = ".safetycheck";

    private const string Prefix = "scdev_";

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The key in <paramref name="directory"/>'s <see cref="FileName"/>, made first when it is missing or not a key.</summary>
    /// <returns>The key, the file, and whether this call made it.</returns>
    /// <exception cref="IOException">The directory or file cannot be created, read or written.</exception>
    public static (string Key, string File, bool Created) LoadOrCreate(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        CreateDirectory(directory);
        var file = Path.Combine(directory, FileName);
        if (TryRead(file) is { } existing)
        {
            RestrictToOwner(file);
            return (existing, file, false);
        }

        var key = ApiKeyGenerator.New(Prefix);
        var temporary = Path.Combine(directory, $".{FileName}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        using (var writer = new StreamWriter(temporary, options))
        {
            writer.Write(key + "\n");
        }

        try
        {
            // A file that exists but holds no key is replaced; one that another serve wrote meanwhile is kept.
            var replace = File.Exists(file);
            File.Move(temporary, file, overwrite: replace);
        }
        catch (IOException) when (TryRead(file) is not null)
        {
            File.Delete(temporary);
            return (TryRead(file)!, file, false);
        }

        return (key, file, true);
    }

    private static string? TryRead(string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        var text = File.ReadAllText(file).Trim();
        return KeyShape().IsMatch(text) ? text : null;
    }

    private static void CreateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }
    }

    private static void RestrictToOwner(string file)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & ~OwnerOnlyFile) != 0)
        {
            File.SetUnixFileMode(file, OwnerOnlyFile);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{32,256}$")]
    private static partial Regex KeyShape();
}
