using System.Buffers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;

namespace SafetyCheck.Security;

/// <summary>
/// The API keys the service accepts, held as SHA-256 hashes: those configured, plus the development key when
/// <see cref="CredentialsGuard"/> made one. A presented key is hashed and compared with every entry in constant time,
/// so neither the comparison nor its position in the list tells an attacker anything. What a key authenticates as is
/// worked out once per key, not per call: each entry holds its principal, never the key.
/// </summary>
internal sealed class ApiKeyRegistry
{
    /// <summary>Longest key hashed without renting a buffer, in UTF-16 code units (keys from <c>safetycheck key</c> are 43).</summary>
    private const int StackKeyLength = 128;

    private volatile Entry[] _entries;

    public ApiKeyRegistry(IOptions<CredentialsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _entries = [.. options.Value.ApiKeys.Select(k => Entry.Create(k.Name, Convert.FromHexString(k.Sha256), [.. k.Roles]))];
    }

    /// <summary>How many keys are accepted.</summary>
    public int Count => _entries.Length;

    /// <summary>The entry whose hash is the key's, or null.</summary>
    public Entry? Find(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hash(key, hash);
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
        _entries = [.. _entries, Entry.Create(name, SHA256.HashData(Encoding.UTF8.GetBytes(key)), roles)];
    }

    /// <summary>SHA-256 of the UTF-8 of <paramref name="key"/>, without allocating for keys of ordinary length.</summary>
    private static void Hash(string key, Span<byte> hash)
    {
        var length = Encoding.UTF8.GetMaxByteCount(key.Length);
        byte[]? rented = null;
        var utf8 = key.Length <= StackKeyLength ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(StackKeyLength)] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(key, utf8);
            SHA256.HashData(utf8[..written], hash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>A caller an API key identifies.</summary>
    /// <param name="Name">The key's configured name: the caller's name in the audit trail.</param>
    /// <param name="Sha256">SHA-256 of the key's UTF-8.</param>
    /// <param name="Roles">The roles the key holds.</param>
    /// <param name="Principal">
    /// Who the key authenticates as (name and role claims), made once and shared by every call with this key. Nothing
    /// in the host changes a principal after authentication; a claims transformation that did would have to copy it.
    /// </param>
    public sealed record Entry(string Name, byte[] Sha256, IReadOnlyList<string> Roles, ClaimsPrincipal Principal)
    {
        public static Entry Create(string name, byte[] sha256, IReadOnlyList<string> roles)
        {
            var identity = new ClaimsIdentity(SecuritySchemes.ApiKey, ClaimTypes.Name, SecurityClaims.Role);
            identity.AddClaim(new Claim(ClaimTypes.Name, name));
            identity.AddClaims(roles.Select(r => new Claim(SecurityClaims.Role, r)));
            return new Entry(name, sha256, roles, new ClaimsPrincipal(identity));
        }
    }
}
