namespace SafetyCheck.Security;

/// <summary>One API key: its caller name, the SHA-256 of the key, and the roles it holds.</summary>
internal sealed class ApiKeyOptions
{
    /// <summary>The caller's name: the identity recorded with each decision it asks for (e.g. <c>scheduling-app</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>Lowercase or uppercase hex SHA-256 of the key's UTF-8 bytes (64 characters); never the key itself.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>Roles from <see cref="SafetyCheckRoles"/>; at least one.</summary>
    public List<string> Roles { get; } = [];
}
