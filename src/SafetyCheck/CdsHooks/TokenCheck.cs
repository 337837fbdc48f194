namespace SafetyCheck.CdsHooks;

/// <summary>The result of checking a call's bearer token: the client, or why the call is refused.</summary>
internal sealed record TokenCheck
{
    private TokenCheck(CdsClient? client, int status, string reason, string tokenId = "")
    {
        Client = client;
        Status = status;
        Reason = reason;
        TokenId = tokenId;
    }

    /// <summary>The verified client; null when refused.</summary>
    public CdsClient? Client { get; }

    /// <summary>The HTTP status of a refusal: 401, or 429 when the replay cache is full.</summary>
    public int Status { get; }

    /// <summary>Why the token was refused, for the caller (names no key material and no patient).</summary>
    public string Reason { get; }

    /// <summary>The verified token's <c>jti</c>, as remembered against replay; empty when refused.</summary>
    public string TokenId { get; }

    public static TokenCheck Verified(CdsClient client, string tokenId) => new(client, StatusCodes.Status200OK, "", tokenId);

    public static TokenCheck Refused(string reason) => new(null, StatusCodes.Status401Unauthorized, reason);

    public static TokenCheck Busy(string reason) => new(null, StatusCodes.Status429TooManyRequests, reason);
}
