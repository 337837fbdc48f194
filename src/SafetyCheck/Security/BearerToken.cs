namespace SafetyCheck.Security;

/// <summary>Reads the credential from <c>authorization: Bearer TOKEN</c>.</summary>
internal static class BearerToken
{
    private const string Scheme = "Bearer ";

    /// <summary>The token, when the request has exactly one authorization header and it is a non-empty bearer token.</summary>
    public static bool TryRead(HttpRequest request, out string token)
    {
        ArgumentNullException.ThrowIfNull(request);
        token = "";
        var headers = request.Headers.Authorization;
        if (headers.Count != 1 || headers[0] is not { } value || !value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        token = value[Scheme.Length..].Trim();
        return token.Length > 0;
    }

    /// <summary>A compact JWS has three base64url parts separated by two dots; API keys have no dot.</summary>
    public static bool LooksLikeJwt(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Count(c => c == '.') == 2;
    }
}
