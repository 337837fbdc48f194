namespace SafetyCheck.Security;

/// <summary>Whether, and where, the service may keep a development API key.</summary>
internal sealed class DevelopmentKeyOptions
{
    /// <summary>
    /// The folder of the key file (<c>dev-key</c>) used when no credentials are configured and every listen address is
    /// loopback; <c>serve</c> sets <c>.safetycheck</c> under the current directory. Null (tests, other hosts): no
    /// development key, so without configured credentials every call but health and reflection is refused.
    /// </summary>
    public string? Directory { get; init; }
}
