using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>
/// A small OpenID Connect issuer on the in-memory server at <see cref="Authority"/>, for the auditor's page's sign-in:
/// discovery, its signing key, an authorization endpoint that signs in <see cref="Subject"/> at once (no login form),
/// and a token endpoint that gives an ID token only for the PKCE verifier of the code's S256 challenge. Times come from
/// the clock it is given. Records what it was asked, so tests can check the page's requests.
/// </summary>
public sealed class TestOpenIdIssuer : IAsyncDisposable
{
    public const string Authority = "https://issuer.test";

    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Grant> _codes = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    private TestOpenIdIssuer(TimeProvider clock)
    {
        _clock = clock;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer(o => o.BaseAddress = new Uri(Authority + "/"));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority,
            ["authorization_endpoint"] = Authority + "/authorize",
            ["token_endpoint"] = Authority + "/token",
            ["jwks_uri"] = Authority + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        _app.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.ExportParameters(false)) { KeyId = "test-key" });
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } });
        });
        _app.MapGet("/authorize", Authorize);
        _app.MapPost("/token", (Delegate)TokenAsync);
    }

    /// <summary>Who the issuer signs in.</summary>
    public string Subject { get; set; } = "auditor-ada";

    /// <summary>The roles in that person's ID token.</summary>
    public IReadOnlyList<string> Roles { get; set; } = ["auditor"];

    /// <summary>The query of the last authorization request.</summary>
    public IQueryCollection? LastAuthorization { get; private set; }

    /// <summary>Code exchanges refused because the PKCE verifier did not match.</summary>
    public int RefusedVerifiers { get; private set; }

    /// <summary>Code exchanges answered with an ID token.</summary>
    public int TokensIssued { get; private set; }

    public static async Task<TestOpenIdIssuer> StartAsync(TimeProvider clock)
    {
        var issuer = new TestOpenIdIssuer(clock);
        await issuer._app.StartAsync();
        return issuer;
    }

    /// <summary>A handler that reaches the issuer (the page's back channel, and the "browser" going to it).</summary>
    public HttpMessageHandler CreateHandler() => _app.GetTestServer().CreateHandler();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
    }

    private IResult Authorize(HttpContext context)
    {
        var query = context.Request.Query;
        LastAuthorization = query;
        if (query["response_type"] != "code" || query["code_challenge_method"] != "S256" || string.IsNullOrEmpty(query["code_challenge"]))
        {
            return Results.BadRequest("code flow with an S256 PKCE challenge only");
        }

        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _codes[code] = new Grant(query["client_id"].ToString(), query["redirect_uri"].ToString(), query["nonce"].ToString(), query["code_challenge"].ToString(), Subject, Roles);
        return Results.Redirect($"{query["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(query["state"].ToString())}");
    }

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var grant) || form["redirect_uri"] != grant.RedirectUri)
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }

        var verifier = form["code_verifier"].ToString();
        if (Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != grant.Challenge)
        {
            RefusedVerifiers++;
            return Results.Json(new { error = "invalid_grant", error_description = "PKCE verifier" }, statusCode: 400);
        }

        var now = _clock.GetUtcNow();
        var token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = grant.ClientId,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddMinutes(5).UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = grant.Subject, ["roles"] = grant.Roles.ToArray(), ["nonce"] = grant.Nonce },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_key) { KeyId = "test-key" }, SecurityAlgorithms.RsaSha256),
        });
        TokensIssued++;
        return Results.Json(new { id_token = token, access_token = "opaque-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), token_type = "Bearer", expires_in = 300 });
    }

    private sealed record Grant(string ClientId, string RedirectUri, string Nonce, string Challenge, string Subject, IReadOnlyList<string> Roles);
}
