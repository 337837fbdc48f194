namespace SafetyCheck.Core.Pipeline;

/// <summary>
/// Who asked for a decision, as the transport authenticated them: an API key's name, a token's subject, a
/// certificate's common name. The audit record keeps it; it is never a patient's identity.
/// </summary>
/// <param name="Name">The authenticated name; null or blank for an anonymous caller (<c>eval</c>, tests).</param>
public readonly record struct Caller(string? Name)
{
    /// <summary>A caller without a name.</summary>
    public static Caller Anonymous => default;

    /// <summary>True when there is no name.</summary>
    public bool IsAnonymous => string.IsNullOrWhiteSpace(Name);
}
