namespace SafetyCheck.Security;

/// <summary>
/// Picks the scheme that authenticates a request: a bearer token shaped like a JWT goes to JWT (when JWT is
/// configured), any other bearer token to the API keys, and a client certificate without a bearer token to the
/// certificate mappings. A bearer token wins over a certificate: the certificate then only secures the channel.
/// </summary>
internal sealed class CredentialSelector(IOptions<CredentialsOptions> options)
{
    public string Select(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var credentials = options.Value;
        if (BearerToken.TryRead(context.Request, out var token))
        {
            return credentials.Jwt.IsConfigured && BearerToken.LooksLikeJwt(token) ? SecuritySchemes.Jwt : SecuritySchemes.ApiKey;
        }

        return context.Request.Headers.Authorization.Count == 0 && credentials.ClientCertificates.Enabled && context.Connection.ClientCertificate is not null
            ? SecuritySchemes.Certificate
            : SecuritySchemes.ApiKey;
    }
}
