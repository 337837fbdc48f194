namespace SafetyCheck.Security;

/// <summary>Claim types every identity of the host uses.</summary>
internal static class SecurityClaims
{
    /// <summary>The role claim (as in JWTs, RFC 9068 <c>roles</c>); <c>role</c> claims of tokens are copied into it.</summary>
    public const string Role = "roles";

    /// <summary>The singular form some identity providers emit.</summary>
    public const string SingularRole = "role";
}
