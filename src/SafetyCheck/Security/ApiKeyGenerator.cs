using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SafetyCheck.Security;

/// <summary>Random API keys and the SHA-256 that configuration holds for them.</summary>
internal static class ApiKeyGenerator
{
    /// <summary>A prefix and 256 random bits in base64url (no dot, so the key is never taken for a JWT).</summary>
    public static string New(string prefix) => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Lowercase hex SHA-256 of the key's UTF-8 bytes, as <see cref="ApiKeyOptions.Sha256"/> holds it.</summary>
    public static string Sha256Hex(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }
}
