using System.Security.Cryptography;
using System.Text;
using SafetyCheck.Core.Audit;

namespace SafetyCheck.Audit;

/// <summary>Checks one stored record on its own, as an auditor would by hand: its JSON still hashes to its entry hash.</summary>
internal static class AuditRecordIntegrity
{
    public static bool IsIntact(StoredDecision row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(row.RecordJson)));
        return string.Equals(hash, row.EntryHash, StringComparison.Ordinal);
    }
}
