using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace SafetyCheck.Audit.Storage;

/// <summary>The entry hash: lowercase hex SHA-256 of the UTF-8 bytes of a record's canonical JSON.</summary>
public static class ChainHash
{
    /// <summary>The entry hash of <paramref name="recordJson"/>.</summary>
    public static string Of(string recordJson)
    {
        ArgumentNullException.ThrowIfNull(recordJson);
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(recordJson.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(recordJson, buffer);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, length), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>True when <paramref name="entry"/>'s record still hashes to its entry hash.</summary>
    public static bool IsIntact(StoredEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return string.Equals(Of(entry.RecordJson), entry.EntryHash, StringComparison.Ordinal);
    }
}
