using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace SafetyCheck.IntegrationTests.CdsHooks;

/// <summary>
/// A CDS client (an EHR) written from the CDS Hooks 2.0 specification alone, sharing no code with the service: it holds
/// an ES384 key pair, publishes the public key as a JWK Set, and signs a JWT for every call (header alg, kid, typ
/// JWT; payload iss, aud = the URL called, iat, exp, jti) by hand, as RFC 7515 describes. Tokens can be spoiled on
/// purpose to test refusals.
/// </summary>
internal sealed class TestEhr : IDisposable
{
    public const string Issuer = "https://ehr.example.test/";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP384);

    public TestEhr(DateTimeOffset now, string baseUrl = "https://cds.example.test", string keyId = "ehr-key-1", string issuer = Issuer)
    {
        Now = now;
        BaseUrl = baseUrl;
        KeyId = keyId;
        Iss = issuer;
    }

    /// <summary>The <c>iss</c> of this EHR's tokens (<see cref="Issuer"/> unless another EHR was made).</summary>
    public string Iss { get; }

    /// <summary>The <c>kid</c> of this EHR's key.</summary>
    public string KeyId { get; }

    /// <summary>The time tokens are issued at (the service's fake clock).</summary>
    public DateTimeOffset Now { get; set; }

    public string BaseUrl { get; }

    /// <summary>The public JWK Set, as the EHR would publish it.</summary>
    public string Jwks => JwksWith();

    /// <summary>The public JWK Set with its key changed by <paramref name="spoil"/> (a member set or removed), to test what the service makes of it.</summary>
    public string JwksWith(Action<JsonObject>? spoil = null)
    {
        var p = _key.ExportParameters(includePrivateParameters: false);
        var key = new JsonObject
        {
            ["kty"] = "EC",
            ["use"] = "sig",
            ["crv"] = "P-384",
            ["kid"] = KeyId,
            ["x"] = Base64Url(p.Q.X!),
            ["y"] = Base64Url(p.Q.Y!),
            ["alg"] = "ES384",
        };
        spoil?.Invoke(key);
        return new JsonObject { ["keys"] = new JsonArray(key) }.ToJsonString();
    }

    /// <summary>Configuration arguments that allow-list this EHR with its inline JWK Set.</summary>
    public string[] Arguments(params string[] more) =>
    [
        "--SafetyCheck:CdsHooks:Urls=http://127.0.0.1:5400",
        $"--SafetyCheck:CdsHooks:BaseUrl={BaseUrl}",
        .. IssuerArguments(0),
        "--SafetyCheck:CdsHooks:AllowInsecureHttp=true",
        .. more,
    ];

    /// <summary>Configuration arguments that allow-list this EHR as issuer number <paramref name="index"/>, with its inline JWK Set.</summary>
    public string[] IssuerArguments(int index) =>
    [
        $"--SafetyCheck:CdsHooks:Issuers:{index}:Issuer={Iss}",
        $"--SafetyCheck:CdsHooks:Issuers:{index}:Jwks={Jwks}",
    ];

    /// <summary>A signed token for a call to <paramref name="path"/> (e.g. <c>/cds-services</c>).</summary>
    /// <remarks>An HS256 header is signed with HMAC-SHA256 under <paramref name="hmacKey"/> (default: a secret the service never has).</remarks>
    public string Token(string path, Action<JsonObject, JsonObject>? spoil = null, string algorithm = "ES384", ECDsa? signWith = null, byte[]? hmacKey = null)
    {
        var header = new JsonObject { ["alg"] = algorithm, ["typ"] = "JWT", ["kid"] = KeyId };
        var payload = new JsonObject
        {
            ["iss"] = Iss,
            ["aud"] = BaseUrl + path,
            ["iat"] = Now.ToUnixTimeSeconds(),
            ["exp"] = Now.AddMinutes(5).ToUnixTimeSeconds(),
            ["jti"] = Guid.CreateVersion7(DateTimeOffset.UnixEpoch).ToString(),
            ["tenant"] = "synthetic-clinic",
        };
        spoil?.Invoke(header, payload);
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var alg = (string?)header["alg"];
        if (alg == "none")
        {
            return signingInput + ".";
        }

        if (alg == "HS256")
        {
            return signingInput + "." + Base64Url(HMACSHA256.HashData(hmacKey ?? Encoding.UTF8.GetBytes("a shared secret that the service never has"), Encoding.ASCII.GetBytes(signingInput)));
        }

        // JWS ES384: the raw r||s signature over the ASCII signing input (RFC 7518 §3.4).
        var signature = (signWith ?? _key).SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>A GET or POST to <paramref name="path"/> with a fresh token (none when <paramref name="token"/> is the empty string).</summary>
    public HttpRequestMessage Request(HttpMethod method, string path, JsonNode? body = null, string? token = null)
    {
        var request = new HttpRequestMessage(method, path);
        token ??= Token(path);
        if (token.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return request;
    }

    public void Dispose() => _key.Dispose();

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
