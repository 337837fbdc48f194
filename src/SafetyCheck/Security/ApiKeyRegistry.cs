using System.Security.Cryptography;
using System.Text;

namespace SafetyCheck.Security;

/// <summary>
/// The API keys the service accepts, held as SHA-256 hashes: those configured, plus the development key when
/// <see cref="CredentialsGuard"/> made one. A presented key is hashed and compared with every entry in constant time,
/// so neither the comparison nor its position in the list tells an attacker anything.
/// </summary>
internal sealed class ApiKeyRegistry
{
    private volatile Entry[] _entries;

    public ApiKeyRegistry(IOptions<CredentialsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _entries = [.. options.Value.ApiKeys.Select(k => new Entry(k.Name, Convert.FromHexString(k.Sha256), [.. k.Roles]))];
    }

    /// <summary>A caller an API key identifies.</summary>
    public sealed record Entry(string Name, byte[] Sha256, IReadOnlyList<string> Roles);

    /// <summary>How many keys are accepted.</summary>
    public int Count => _entries.Length;

    /// <summary>The entry whose hash is the key's, or null.</summary>
    public Entry? Find(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        Entry? found = null;
        foreach (var entry in _entries)
        {
            // No early exit: every entry is compared whatever matched before.
            if (CryptographicOperations.FixedTimeEquals(hash, entry.Sha256))
            {
                found = entry;
            }
        }

        return found;
    }

    /// <summary>Accepts <paramref name="key"/> too, as <paramref name="name"/> with <paramref name="roles"/>.</summary>
    public void Add(string name, string key, IReadOnlyList<string> roles)
    {
        ArgumentNullException.ThrowIfNull(key);
        _entries = [.. _entries, new Entry(name, SHA256.HashData(Encoding.UTF8.GetBytes(key)), roles)];
    }
}
