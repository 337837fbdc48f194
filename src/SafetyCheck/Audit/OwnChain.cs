using SafetyCheck.Audit.PostgreSql;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit;

/// <summary>The chain this instance writes, for reads that must not take another instance's entries for its own.</summary>
internal static class OwnChain
{
    /// <summary>
    /// The chain <paramref name="store"/> writes in a store of several chains (PostgreSQL: the instance id); null in a
    /// store of one chain (SQLite), whose entries name none (<see cref="StoredEntry.Chain"/>) and are all this instance's.
    /// </summary>
    public static string? Of(IAuditReader? store) => store is PostgresAuditStorage shared ? shared.ChainId : null;

    /// <summary>True when <paramref name="entry"/> belongs to <paramref name="chain"/> (as <see cref="Of"/> gives it).</summary>
    public static bool Holds(string? chain, StoredEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return string.Equals(entry.Chain, chain, StringComparison.Ordinal);
    }
}
