namespace SafetyCheck.Security;

/// <summary>The authentication scheme names of the host.</summary>
internal static class SecuritySchemes
{
    /// <summary>The default scheme: picks one of the others per request (<see cref="CredentialSelector"/>).</summary>
    public const string Default = "SafetyCheck";

    public const string ApiKey = "ApiKey";

    public const string Jwt = "Jwt";

    public const string Certificate = "Certificate";
}
