namespace SafetyCheck.AuditPage;

/// <summary>Why a sign-in did not happen, as the sign-in page names it (codes in its query, never free text).</summary>
internal static class SignInProblem
{
    public const string NoKey = "no-key";

    public const string UnknownKey = "unknown-key";

    public const string NotAuditor = "not-auditor";

    public const string IssuerFailed = "issuer";

    public const string Throttled = "throttled";

    public const string SignedOut = "signed-out";

    /// <summary>The sentence shown for <paramref name="code"/>; null for an unknown code (nothing is shown).</summary>
    public static string? Describe(string? code) => code switch
    {
        NoKey => "Enter your API key.",
        UnknownKey => "That is not a key this service accepts.",
        NotAuditor => "Refused: that credential does not hold the auditor role. The auditor's page is for auditors; clinical apps call the service over gRPC.",
        IssuerFailed => "Sign-in through the identity provider did not complete. Try again, or sign in with an API key.",
        Throttled => "Too many failed sign-ins from this address. Wait a minute and try again.",
        SignedOut => "You are signed out.",
        _ => null,
    };
}
