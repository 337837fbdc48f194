using System.Runtime.CompilerServices;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Cli;

/// <summary>How the <c>audit</c> verbs walk and name the chains of a store (one for SQLite, one per instance for PostgreSQL).</summary>
internal static class AuditCliChains
{
    /// <summary>Every entry of every chain, chain by chain, each up to its head when its scan starts.</summary>
    public static async IAsyncEnumerable<StoredEntry> ReadAllAsync(IAuditChainSet chains, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var id in await chains.ListChainsAsync(cancellationToken).ConfigureAwait(false))
        {
            var chain = chains.Chain(id);
            var head = await chain.HeadAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var row in AuditScan.ReadAllAsync(chain, head.Size, cancellationToken).ConfigureAwait(false))
            {
                yield return row;
            }
        }
    }

    /// <summary>What a line about an entry starts with: its chain and two spaces in a store of several chains, else nothing.</summary>
    public static string Prefix(string? chain) => chain is null ? "" : $"{chain}  ";
}
