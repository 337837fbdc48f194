using System.Security.Cryptography;
using SafetyCheck.Audit.Files;

namespace SafetyCheck.Audit.Pseudonyms;

/// <summary>
/// Where the pseudonym key comes from: configuration when a key is configured, otherwise a file beside the database
/// (<c>&lt;db&gt;.key</c>, one line of base64) that is created on first run with 32 random bytes, owner-only
/// (0600, its folder 0700 when created) where the platform has them. The key is never logged. Keep the file out of backups that travel
/// with the database: a pseudonym is only as strong as the key's separation from the data.
/// </summary>
public static class AuditKeyFile
{
    /// <summary>Size of a generated key, in bytes.</summary>
    public const int GeneratedKeyBytes = 32;

    /// <summary>The key file of the database at <paramref name="databasePath"/>: <c>&lt;db&gt;.key</c>.</summary>
    public static string PathFor(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        return databasePath + ".key";
    }

    /// <summary>
    /// The configured key (<paramref name="configuredBase64Key"/>, with <paramref name="configuredKeyId"/> or a derived
    /// id) when one is configured, else the key in <see cref="PathFor"/> (created when missing).
    /// </summary>
    /// <exception cref="FormatException">The configured key or the key file is not base64.</exception>
    /// <exception cref="ArgumentException">The key is shorter than <see cref="Pseudonymiser.MinimumKeyBytes"/>.</exception>
    /// <exception cref="IOException">The key file cannot be read or created.</exception>
    public static Pseudonymiser Resolve(string databasePath, string? configuredBase64Key, string? configuredKeyId = null) =>
        string.IsNullOrWhiteSpace(configuredBase64Key)
            ? LoadOrCreate(PathFor(databasePath), configuredKeyId)
            : Pseudonymiser.FromBase64(configuredBase64Key, configuredKeyId);

    /// <summary>Reads the key in <paramref name="keyFilePath"/>, creating the file with a new random key when it does not exist.</summary>
    /// <exception cref="FormatException">The file is not base64.</exception>
    /// <exception cref="IOException">The file cannot be read or created.</exception>
    public static Pseudonymiser LoadOrCreate(string keyFilePath, string? keyId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyFilePath);
        if (!File.Exists(keyFilePath))
        {
            TryCreate(keyFilePath);
        }

        return Pseudonymiser.FromBase64(File.ReadAllText(keyFilePath), keyId);
    }

    private static void TryCreate(string keyFilePath) =>
        PrivateFiles.TryWriteNew(keyFilePath, Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedKeyBytes)) + "\n");
}
