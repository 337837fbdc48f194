using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace SafetyCheck.IntegrationTests.CdsHooks;

/// <summary>Every call needs the EHR's signed JWT; anything else is 401 with a JSON reason (CDS Hooks 2.0, "Trusting CDS Clients").</summary>
public sealed class CdsHooksSecurityTests
{
    public static TheoryData<string, string> SpoiledTokens => new()
    {
        { "expired", "expired" },
        { "wrong-audience", "aud must be the URL" },
        { "discovery-audience-on-a-service", "aud must be the URL" },
        { "unknown-issuer", "is not allowed" },
        { "alg-none", "'none'" },
        { "hmac", "not accepted" },
        { "wrong-key", "signature does not verify" },
        { "lifetime-too-long", "at most 300 s" },
        { "no-jti", "no jti" },
        { "no-exp", "expired, or has no exp" },
        { "no-iat", "no iat" },
        { "issued-in-the-future", "in the future" },
        { "jku-elsewhere", "jku" },
        { "no-kid", "kid" },
        { "unknown-kid", "no usable public key" },
        { "typ-not-jwt", "typ" },
        { "iat-out-of-range", "iat is not a time" },
        { "iat-negative-out-of-range", "iat is not a time" },
        { "exp-out-of-range", "not valid" },
        { "nbf-out-of-range", "not yet valid" },
        { "audience-with-a-trailing-slash", "aud must be the URL" },
        { "alg-None-capitalised", "not accepted" },
        { "alg-empty", "not accepted" },
        { "hmac-keyed-with-the-public-jwks", "not accepted" },
        { "hmac-keyed-with-the-public-key-x", "not accepted" },
        { "rs256-header-on-the-ec-key", "is not one for alg 'RS256'" },
        { "es256-header-on-the-p384-key", "is not one for alg 'ES256'" },
        { "es512-header-on-the-p384-key", "is not one for alg 'ES512'" },
        { "jwk-header-with-the-signers-key", "'jwk'" },
        { "x5u-header", "'x5u'" },
        { "crit-header", "'crit'" },
        { "jku-not-a-string", "jku" },
        { "jku-on-an-issuer-with-inline-keys", "jku" },
        { "kid-path-traversal", "no usable public key" },
        { "kid-very-long", "no usable public key" },
        { "kid-differs-in-case", "no usable public key" },
        { "aud-array-without-this-service", "aud must be the URL" },
        { "aud-the-base-url", "aud must be the URL" },
        { "iss-without-its-trailing-slash", "is not allowed" },
        { "iss-of-another-case", "is not allowed" },
        { "exp-just-past-the-skew", "expired" },
        { "nbf-in-the-future", "not yet valid" },
        { "iat-just-past-the-skew-ahead", "in the future" },
        { "lifetime-one-second-too-long", "at most 300 s" },
        { "jti-empty", "no jti" },
        { "jti-a-number", "jti is not a string" },
        { "jti-too-long", "jti is longer than 256 characters" },
    };

    [Fact]
    public async Task Discovery_SignedToken_ListsBothServicesWithTheirPrefetchTemplates()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();

        var (status, body) = await cds.SendAsync(HttpMethod.Get, "/cds-services");

        Assert.Equal(HttpStatusCode.OK, status);
        var services = body["services"]!.AsArray().Select(s => s!.AsObject()).ToArray();
        Assert.Equal(["appointment-book", "order-select"], services.Select(s => (string?)s["hook"]));
        Assert.Equal(["massage-safety-appointment", "massage-safety-order"], services.Select(s => (string?)s["id"]));
        foreach (var service in services)
        {
            Assert.False(string.IsNullOrEmpty((string?)service["description"]));
            var prefetch = service["prefetch"]!.AsObject();
            Assert.Equal(SyntheticFhir.PrefetchKeys, prefetch.Select(p => p.Key));
            Assert.Equal("Patient/{{context.patientId}}", (string?)prefetch["patient"]);
            foreach (var loinc in new[] { "76516-4", "11884-4", "18185-9", "8339-4" })
            {
                Assert.Contains(prefetch, p => ((string?)p.Value)!.EndsWith("code=http://loinc.org|" + loinc, StringComparison.Ordinal));
            }

            // Every code the mapping reads as a body temperature, site-coded ones included, and the vital-signs panel
            // whose components hold one: a search matches codes exactly, so a code left out is a fever not seen.
            Assert.Equal(
                "Observation?patient={{context.patientId}}&code=http://loinc.org|8310-5,http://loinc.org|8328-7,http://loinc.org|8329-5,"
                + "http://loinc.org|8331-1,http://loinc.org|8332-9,http://loinc.org|8333-7,http://loinc.org|60834-6,http://loinc.org|76011-6,"
                + "http://loinc.org|85353-1",
                (string?)prefetch["bodyTemperature"]);
        }
    }

    [Fact]
    public async Task Discovery_Unsigned_401WithAJsonReason()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/cds-services");
        using var response = await cds.Http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("unauthorized", (string?)body["error"]);
        Assert.Contains("Bearer", (string?)body["reason"], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SpoiledTokens))]
    public async Task ServiceCall_SpoiledToken_401NamingWhy(string spoil, string reason)
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var path = "/cds-services/massage-safety-appointment";
        var now = cds.Ehr.Now.ToUnixTimeSeconds();
        var token = spoil switch
        {
            "expired" => cds.Ehr.Token(path, (_, p) => { p["iat"] = now - 900; p["exp"] = now - 600; }),
            "wrong-audience" => cds.Ehr.Token(path, (_, p) => p["aud"] = "https://other-service.example.test/cds-services/massage-safety-appointment"),
            "discovery-audience-on-a-service" => cds.Ehr.Token("/cds-services"),
            "unknown-issuer" => cds.Ehr.Token(path, (_, p) => p["iss"] = "https://stranger.example.test/"),
            "alg-none" => cds.Ehr.Token(path, (h, _) => h["alg"] = "none"),
            "hmac" => cds.Ehr.Token(path, (h, _) => h["alg"] = "HS256"),
            "wrong-key" => cds.Ehr.Token(path, signWith: stranger),
            "lifetime-too-long" => cds.Ehr.Token(path, (_, p) => p["exp"] = now + 7200),
            "no-jti" => cds.Ehr.Token(path, (_, p) => p.Remove("jti")),
            "no-exp" => cds.Ehr.Token(path, (_, p) => p.Remove("exp")),
            "no-iat" => cds.Ehr.Token(path, (_, p) => p.Remove("iat")),
            "issued-in-the-future" => cds.Ehr.Token(path, (_, p) => { p["iat"] = now + 600; p["exp"] = now + 700; }),
            "jku-elsewhere" => cds.Ehr.Token(path, (h, _) => h["jku"] = "https://attacker.example.test/jwks"),
            "no-kid" => cds.Ehr.Token(path, (h, _) => h.Remove("kid")),
            "unknown-kid" => cds.Ehr.Token(path, (h, _) => h["kid"] = "rotated-away"),
            "typ-not-jwt" => cds.Ehr.Token(path, (h, _) => h["typ"] = "at+jwt"),
            "iat-out-of-range" => cds.Ehr.Token(path, (_, p) => p["iat"] = 99999999999999),
            "iat-negative-out-of-range" => cds.Ehr.Token(path, (_, p) => p["iat"] = -99999999999999),
            "exp-out-of-range" => cds.Ehr.Token(path, (_, p) => p["exp"] = 99999999999999),
            "nbf-out-of-range" => cds.Ehr.Token(path, (_, p) => p["nbf"] = 99999999999999),
            "audience-with-a-trailing-slash" => cds.Ehr.Token(path, (_, p) => p["aud"] = cds.Ehr.BaseUrl + path + "/"),
            "alg-None-capitalised" => cds.Ehr.Token(path, (h, _) => h["alg"] = "None"),
            "alg-empty" => cds.Ehr.Token(path, (h, _) => h["alg"] = ""),

            // The classic confusion: the verifier holds a public key, and a token asks for it to be used as an HMAC secret.
            "hmac-keyed-with-the-public-jwks" => cds.Ehr.Token(path, (h, _) => h["alg"] = "HS256", hmacKey: Encoding.UTF8.GetBytes(cds.Ehr.Jwks)),
            "hmac-keyed-with-the-public-key-x" => cds.Ehr.Token(path, (h, _) => h["alg"] = "HS256", hmacKey: Encoding.UTF8.GetBytes((string)JsonNode.Parse(cds.Ehr.Jwks)!["keys"]![0]!["x"]!)),
            "rs256-header-on-the-ec-key" => cds.Ehr.Token(path, (h, _) => h["alg"] = "RS256"),
            "es256-header-on-the-p384-key" => cds.Ehr.Token(path, (h, _) => h["alg"] = "ES256"),
            "es512-header-on-the-p384-key" => cds.Ehr.Token(path, (h, _) => h["alg"] = "ES512"),
            "jwk-header-with-the-signers-key" => cds.Ehr.Token(path, (h, _) => h["jwk"] = JsonNode.Parse(StrangerJwk(stranger)), signWith: stranger),
            "x5u-header" => cds.Ehr.Token(path, (h, _) => h["x5u"] = "https://attacker.example.test/cert.pem"),
            "crit-header" => cds.Ehr.Token(path, (h, _) => { h["crit"] = new JsonArray("b64"); h["b64"] = false; }),
            "jku-not-a-string" => cds.Ehr.Token(path, (h, _) => h["jku"] = 42),
            "jku-on-an-issuer-with-inline-keys" => cds.Ehr.Token(path, (h, _) => h["jku"] = "https://ehr.example.test/jwks.json"),
            "kid-path-traversal" => cds.Ehr.Token(path, (h, _) => h["kid"] = "../../../../etc/passwd"),
            "kid-very-long" => cds.Ehr.Token(path, (h, _) => h["kid"] = new string('k', 8000)),
            "kid-differs-in-case" => cds.Ehr.Token(path, (h, _) => h["kid"] = cds.Ehr.KeyId.ToUpperInvariant()),
            "aud-array-without-this-service" => cds.Ehr.Token(path, (_, p) => p["aud"] = new JsonArray("https://other-service.example.test/cds-services", cds.Ehr.BaseUrl + "/cds-services")),
            "aud-the-base-url" => cds.Ehr.Token(path, (_, p) => p["aud"] = cds.Ehr.BaseUrl),
            "iss-without-its-trailing-slash" => cds.Ehr.Token(path, (_, p) => p["iss"] = TestEhr.Issuer.TrimEnd('/')),
            "iss-of-another-case" => cds.Ehr.Token(path, (_, p) => p["iss"] = TestEhr.Issuer.ToUpperInvariant()),
            "exp-just-past-the-skew" => cds.Ehr.Token(path, (_, p) => { p["iat"] = now - 120; p["exp"] = now - 31; }),
            "nbf-in-the-future" => cds.Ehr.Token(path, (_, p) => p["nbf"] = now + 120),
            "iat-just-past-the-skew-ahead" => cds.Ehr.Token(path, (_, p) => { p["iat"] = now + 31; p["exp"] = now + 200; }),
            "lifetime-one-second-too-long" => cds.Ehr.Token(path, (_, p) => { p["iat"] = now - 1; p["exp"] = now + 300; }),
            "jti-empty" => cds.Ehr.Token(path, (_, p) => p["jti"] = ""),
            "jti-a-number" => cds.Ehr.Token(path, (_, p) => p["jti"] = 12345),
            "jti-too-long" => cds.Ehr.Token(path, (_, p) => p["jti"] = new string('j', 257)),
            _ => throw new ArgumentOutOfRangeException(nameof(spoil)),
        };

        var (status, body) = await cds.SendAsync(HttpMethod.Post, path, CdsHooksCalls.Toddler(), token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains(reason, (string?)body["reason"], StringComparison.Ordinal);
        Assert.Null(body["cards"]);

        // The reason says what to fix and echoes at most a short piece of the token: never the token, never a key.
        Assert.InRange(((string?)body["reason"])!.Length, 1, 400);
        var signature = token.Split('.')[^1];
        if (signature.Length > 8)
        {
            Assert.DoesNotContain(signature, (string?)body["reason"], StringComparison.Ordinal);
        }

        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Theory]
    [InlineData("with-the-token's-own-values")]
    [InlineData("lifetime-exactly-300-s")]
    [InlineData("jti-of-256-characters")]
    [InlineData("aud-an-array-naming-this-service")]
    [InlineData("nbf-now")]
    public async Task ServiceCall_TokenAtTheEdgeOfARule_Accepted(string edge)
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var path = "/cds-services/massage-safety-appointment";
        var now = cds.Ehr.Now.ToUnixTimeSeconds();
        var token = edge switch
        {
            "with-the-token's-own-values" => cds.Ehr.Token(path),
            "lifetime-exactly-300-s" => cds.Ehr.Token(path, (_, p) => { p["iat"] = now; p["exp"] = now + 300; }),
            "jti-of-256-characters" => cds.Ehr.Token(path, (_, p) => p["jti"] = new string('j', 256)),
            "aud-an-array-naming-this-service" => cds.Ehr.Token(path, (_, p) => p["aud"] = new JsonArray("https://other-service.example.test/cds-services", cds.Ehr.BaseUrl + path)),
            "nbf-now" => cds.Ehr.Token(path, (_, p) => p["nbf"] = now),
            _ => throw new ArgumentOutOfRangeException(nameof(edge)),
        };

        var (status, body) = await cds.SendAsync(HttpMethod.Post, path, CdsHooksCalls.Toddler(), token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotEmpty(body["cards"]!.AsArray());
    }

    private static string StrangerJwk(ECDsa stranger)
    {
        var p = stranger.ExportParameters(includePrivateParameters: false);
        return new JsonObject { ["kty"] = "EC", ["crv"] = "P-384", ["x"] = TestEhr.Base64Url(p.Q.X!), ["y"] = TestEhr.Base64Url(p.Q.Y!) }.ToJsonString();
    }

    [Fact]
    public async Task ServiceCall_TokenUsedTwice_SecondCallIs401()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var path = "/cds-services/massage-safety-appointment";
        var token = cds.Ehr.Token(path);

        var (first, _) = await cds.SendAsync(HttpMethod.Post, path, CdsHooksCalls.Toddler(), token);
        var (second, body) = await cds.SendAsync(HttpMethod.Post, path, CdsHooksCalls.Toddler(), token);

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.Unauthorized, second);
        Assert.Contains("jti was used before", (string?)body["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceCall_Refused_LogsNoPatientData()
    {
        await using var cds = await CdsHooksTestHost.StartAsync();
        var path = "/cds-services/massage-safety-appointment";

        await cds.SendAsync(HttpMethod.Post, path, CdsHooksCalls.Toddler(), cds.Ehr.Token(path, (_, p) => p["iss"] = "https://stranger.example.test/"));
        await cds.SendAsync(HttpMethod.Post, path, CdsHooksCalls.Toddler());

        var logs = string.Join("\n", cds.Host.Logs.Entries.Select(e => e.Message));
        Assert.Contains("stranger.example.test", logs, StringComparison.Ordinal);
        foreach (var identifying in new[] { CdsHooksCalls.ToddlerId, "2023-08-25", "24079001" })
        {
            Assert.DoesNotContain(identifying, logs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Preflight_AllowedOrigin_GetsCorsHeaders_OtherOriginDoesNot()
    {
        await using var cds = await CdsHooksTestHost.StartAsync(args: "--SafetyCheck:CdsHooks:AllowedOrigins:0=https://ehr.example.test");

        async Task<HttpResponseMessage> PreflightAsync(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/cds-services/massage-safety-order");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
            return await cds.Http.SendAsync(request);
        }

        using var allowed = await PreflightAsync("https://ehr.example.test");
        using var other = await PreflightAsync("https://elsewhere.example.test");

        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("https://ehr.example.test", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
