namespace SafetyCheck.Audit.Storage;

/// <summary>The chain set of a store that holds one chain (its id is the empty string).</summary>
public sealed class SingleChainSet(IAuditReader reader) : IAuditChainSet
{
    private static readonly IReadOnlyList<string> Ids = [""];

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ListChainsAsync(CancellationToken cancellationToken = default) => Task.FromResult(Ids);

    /// <inheritdoc/>
    public IAuditReader Chain(string chainId) =>
        chainId.Length == 0 ? reader : throw new ArgumentException($"This store holds one chain; there is no chain '{chainId}'.", nameof(chainId));
}
