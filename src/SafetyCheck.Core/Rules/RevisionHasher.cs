using System.Security.Cryptography;
using System.Text;

namespace SafetyCheck.Core.Rules;

/// <summary>
/// The rule revision: lowercase hex SHA-256 over the canonical files (manifest, catalog and rule files, not the
/// cases), each as its relative path, a newline, and its bytes with line endings normalised to <c>\n</c>, in ordinal
/// path order. Line-ending normalisation makes a checkout on Windows hash like one on Linux.
/// </summary>
public static class RevisionHasher
{
    /// <summary>Computes the revision of <paramref name="files"/> (any order; they are sorted here).</summary>
    public static string Compute(IEnumerable<RuleSetFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file.Path + "\n"));
            hash.AppendData(NormaliseLineEndings(file.Content));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary><paramref name="bytes"/> with CRLF and lone CR turned into LF.</summary>
    public static byte[] NormaliseLineEndings(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (Array.IndexOf(bytes, (byte)'\r') < 0)
        {
            return bytes;
        }

        var result = new List<byte>(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\r')
            {
                result.Add((byte)'\n');
                if (i + 1 < bytes.Length && bytes[i + 1] == '\n')
                {
                    i++;
                }
            }
            else
            {
                result.Add(bytes[i]);
            }
        }

        return [.. result];
    }
}
