using System.Net;
using System.Security.Cryptography;
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
            _ => throw new ArgumentOutOfRangeException(nameof(spoil)),
        };

        var (status, body) = await cds.SendAsync(HttpMethod.Post, path, CdsHooksCalls.Toddler(), token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains(reason, (string?)body["reason"], StringComparison.Ordinal);
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
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
