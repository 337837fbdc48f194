using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SafetyCheck.CdsHooks;
using SafetyCheck.IntegrationTests.Infrastructure;
using static SafetyCheck.IntegrationTests.CdsHooks.SyntheticFhir;

namespace SafetyCheck.IntegrationTests.CdsHooks;

/// <summary>
/// Where the service takes keys from and whom it calls: only the issuer's configured JWKS URL, fetched again at most
/// every 30 s; only keys that fit the token's alg; only the issuer's algorithms; only the FHIR servers configured for the
/// issuer; and never a token in its logs.
/// </summary>
public sealed class CdsHooksKeyAndServerTrustTests
{
    private const string Service = "/cds-services/massage-safety-appointment";

    [Fact]
    public async Task JkuAndX5uNamingAnotherServer_Refused_ThatServerNeverCalled()
    {
        await using var jwks = await RecordingServer.StartAsync();
        await using var attacker = await RecordingServer.StartAsync();
        using var ehr = new TestEhr(TestServerHost.Now);
        jwks.Body = ehr.Jwks;
        attacker.Body = ehr.Jwks;
        await using var host = await StartWithJwksUrlAsync(ehr, jwks);
        using var http = host.CreateHttpClient(token: null);

        using var viaJku = await http.SendAsync(ehr.Request(HttpMethod.Get, "/cds-services", token: ehr.Token("/cds-services", (h, _) => h["jku"] = attacker.Url)));
        using var viaX5u = await http.SendAsync(ehr.Request(HttpMethod.Get, "/cds-services", token: ehr.Token("/cds-services", (h, _) => h["x5u"] = attacker.Url)));
        using var viaOtherKid = await http.SendAsync(ehr.Request(HttpMethod.Get, "/cds-services", token: ehr.Token("/cds-services", (h, _) => { h["jku"] = attacker.Url; h["kid"] = "attackers-key"; })));
        using var allowed = await http.SendAsync(ehr.Request(HttpMethod.Get, "/cds-services", token: ehr.Token("/cds-services", (h, _) => h["jku"] = jwks.Url)));

        Assert.Equal(HttpStatusCode.Unauthorized, viaJku.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, viaX5u.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, viaOtherKid.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Empty(attacker.Requests);
        Assert.Single(jwks.Requests);
    }

    [Fact]
    public async Task UnknownKids_ManyAtOnce_JwksFetchedAtMostOncePer30Seconds()
    {
        await using var jwks = await RecordingServer.StartAsync();
        using var ehr = new TestEhr(TestServerHost.Now);
        jwks.Body = ehr.Jwks;
        await using var host = await StartWithJwksUrlAsync(ehr, jwks, "--SafetyCheck:CdsHooks:CallsPerSecondPerIssuer=0");
        using var http = host.CreateHttpClient(token: null);

        async Task<HttpStatusCode> SendWithKidAsync(string kid)
        {
            using var response = await http.SendAsync(ehr.Request(HttpMethod.Get, "/cds-services", token: ehr.Token("/cds-services", (h, _) => h["kid"] = kid)));
            return response.StatusCode;
        }

        var storm = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => SendWithKidAsync($"unknown-{i}")));
        var known = await SendWithKidAsync(ehr.KeyId);
        var fetchesDuringTheStorm = jwks.Requests.Count;
        await host.SettledAsync();
        host.Clock.Advance(TimeSpan.FromSeconds(31));
        ehr.Now = host.Clock.GetUtcNow();
        var later = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => SendWithKidAsync($"later-{i}")));

        Assert.All(storm, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.OK, known);
        Assert.Equal(1, fetchesDuringTheStorm);
        Assert.All(later, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(2, jwks.Requests.Count);
    }

    [Fact]
    public async Task JwksUnreachable_CachedKeysServeForJwksMaxStaleMinutes_ThenTokensRefused_UntilAFetchSucceeds()
    {
        await using var jwks = await RecordingServer.StartAsync();
        using var ehr = new TestEhr(TestServerHost.Now);
        jwks.Body = ehr.Jwks;
        await using var host = await StartWithJwksUrlAsync(ehr, jwks, "--SafetyCheck:CdsHooks:JwksCacheMinutes=60", "--SafetyCheck:CdsHooks:JwksMaxStaleMinutes=120");
        using var http = host.CreateHttpClient(token: null);
        await host.SettledAsync();

        Task<(HttpStatusCode Status, string? Reason)> DiscoverAfterAsync(TimeSpan wait) => DiscoverAfterWaitAsync(host, ehr, http, wait);

        int Warnings(int eventId) => host.Logs.Entries.Count(e => e.EventId.Id == eventId && e.Level == LogLevel.Warning && e.Message.Contains(jwks.Url, StringComparison.Ordinal));

        var fetched = await DiscoverAfterAsync(TimeSpan.Zero);
        jwks.FailWith = 503;

        // Past JwksCacheMinutes the refetch fails: the keys fetched an hour ago still serve, and the failure is logged.
        var cacheOver = await DiscoverAfterAsync(TimeSpan.FromMinutes(61));
        var fetchesAfterCacheOver = jwks.Requests.Count;
        var unavailableWarnings = Warnings(1105);

        // Still within JwksMaxStaleMinutes of the last fetch that worked, and within the retry's cache time: no fetch.
        var nearlyStale = await DiscoverAfterAsync(TimeSpan.FromMinutes(58));
        var fetchesWhenNearlyStale = jwks.Requests.Count;

        // 121 minutes after the last fetch that worked: the keys are fetched again, fail, and are no longer used.
        var stale = await DiscoverAfterAsync(TimeSpan.FromMinutes(2));
        var fetchesWhenStale = jwks.Requests.Count;
        var staleWarnings = Warnings(1109);

        // Within 30 s: refused without another fetch, and without another warning.
        var staleAgain = await DiscoverAfterAsync(TimeSpan.FromSeconds(10));
        var fetchesWhenStaleAgain = jwks.Requests.Count;
        var staleWarningsAgain = Warnings(1109);

        // 30 s on, another fetch (still failing), another warning.
        var staleLater = await DiscoverAfterAsync(TimeSpan.FromSeconds(21));
        var fetchesWhenStaleLater = jwks.Requests.Count;
        var staleWarningsLater = Warnings(1109);

        // The JWKS answers again: the next fetch (30 s on) serves its keys.
        jwks.FailWith = null;
        var back = await DiscoverAfterAsync(TimeSpan.FromSeconds(31));

        Assert.Equal(HttpStatusCode.OK, fetched.Status);
        Assert.Equal(HttpStatusCode.OK, cacheOver.Status);
        Assert.Equal(2, fetchesAfterCacheOver);
        Assert.Equal(1, unavailableWarnings);
        Assert.Equal(HttpStatusCode.OK, nearlyStale.Status);
        Assert.Equal(2, fetchesWhenNearlyStale);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.Status);
        Assert.Equal(
            "The issuer's keys could not be refreshed: its JWKS has not been fetched successfully for more than 120 minutes (JwksMaxStaleMinutes), so the keys held are no longer trusted.",
            stale.Reason);
        Assert.Equal(3, fetchesWhenStale);
        Assert.Equal(1, staleWarnings);
        Assert.Equal(HttpStatusCode.Unauthorized, staleAgain.Status);
        Assert.Equal(stale.Reason, staleAgain.Reason);
        Assert.Equal(3, fetchesWhenStaleAgain);
        Assert.Equal(1, staleWarningsAgain);
        Assert.Equal(HttpStatusCode.Unauthorized, staleLater.Status);
        Assert.Equal(4, fetchesWhenStaleLater);
        Assert.Equal(2, staleWarningsLater);
        Assert.Equal(HttpStatusCode.OK, back.Status);
        Assert.Equal(5, jwks.Requests.Count);
        Assert.Equal(1, Warnings(1105));
    }

    [Fact]
    public async Task JwksUnreachableFromTheStart_RefusedSayingTheKeysCouldNotBeFetched_UntilAFetchWorks()
    {
        await using var jwks = await RecordingServer.StartAsync();
        using var ehr = new TestEhr(TestServerHost.Now);
        jwks.Body = ehr.Jwks;
        jwks.FailWith = 503;
        await using var host = await StartWithJwksUrlAsync(ehr, jwks);
        using var http = host.CreateHttpClient(token: null);
        await host.SettledAsync();

        Task<(HttpStatusCode Status, string? Reason)> DiscoverAfterAsync(TimeSpan wait) => DiscoverAfterWaitAsync(host, ehr, http, wait);

        var never = await DiscoverAfterAsync(TimeSpan.Zero);
        jwks.FailWith = null;
        var withinTheRetryInterval = await DiscoverAfterAsync(TimeSpan.FromSeconds(10));
        var afterIt = await DiscoverAfterAsync(TimeSpan.FromSeconds(21));

        // Not "no usable public key with kid …": the EHR's key is not wrong, the service could not fetch any.
        Assert.Equal(HttpStatusCode.Unauthorized, never.Status);
        Assert.Contains("could not be fetched from its JWKS URL", never.Reason, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, withinTheRetryInterval.Status);
        Assert.Equal(HttpStatusCode.OK, afterIt.Status);
        Assert.Equal(2, jwks.Requests.Count);
    }

    [Fact]
    public async Task JwksUnreachable_UnknownKidPastTheBound_RefusedAsStale_NotAsAnUnknownKey()
    {
        await using var jwks = await RecordingServer.StartAsync();
        using var ehr = new TestEhr(TestServerHost.Now);
        jwks.Body = ehr.Jwks;
        await using var host = await StartWithJwksUrlAsync(ehr, jwks, "--SafetyCheck:CdsHooks:JwksCacheMinutes=5", "--SafetyCheck:CdsHooks:JwksMaxStaleMinutes=10");
        using var http = host.CreateHttpClient(token: null);
        await host.SettledAsync();
        using var first = await http.SendAsync(ehr.Request(HttpMethod.Get, "/cds-services"));
        jwks.FailWith = 500;
        host.Clock.Advance(TimeSpan.FromMinutes(11));
        ehr.Now = host.Clock.GetUtcNow();

        using var rotated = await http.SendAsync(ehr.Request(HttpMethod.Get, "/cds-services", token: ehr.Token("/cds-services", (h, _) => h["kid"] = "rotated")));
        using var known = await http.SendAsync(ehr.Request(HttpMethod.Get, "/cds-services"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, rotated.StatusCode);
        Assert.StartsWith("The issuer's keys could not be refreshed", (string?)JsonNode.Parse(await rotated.Content.ReadAsStringAsync())!["reason"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, known.StatusCode);
        Assert.Equal(2, jwks.Requests.Count);
    }

    [Theory]
    [InlineData(0, 60, "JwksMaxStaleMinutes must be between 1 and 10080 (got 0)")]
    [InlineData(10081, 60, "JwksMaxStaleMinutes must be between 1 and 10080 (got 10081)")]
    [InlineData(30, 60, "JwksMaxStaleMinutes must be at least JwksCacheMinutes (60; got 30)")]
    [InlineData(60, 60, null)]
    [InlineData(1440, 60, null)]
    public void JwksMaxStaleMinutes_PositiveAndAtLeastJwksCacheMinutes(int maxStale, int cache, string? failure)
    {
        var options = new CdsHooksOptions { Urls = "http://127.0.0.1:5400", JwksCacheMinutes = cache, JwksMaxStaleMinutes = maxStale };
        options.Issuers.Add(new CdsIssuerOptions { Issuer = "https://ehr.example.test/", JwksUrl = "https://ehr.example.test/jwks" });

        var failures = new CdsHooksOptionsValidator().Validate(null, options).Failures ?? [];

        string[] expected = failure is null ? [] : [$"SafetyCheck:CdsHooks:{failure}."];
        Assert.Equal(expected, failures);
    }

    [Fact]
    public void JwksMaxStaleMinutes_DefaultIsADay()
    {
        Assert.Equal(1440, new CdsHooksOptions().JwksMaxStaleMinutes);
    }

    public static TheoryData<string, string, bool> KeysAndAlgorithms => new()
    {
        { "as-published", "ES384", true },
        { "no-alg-no-use", "ES384", true },
        { "key-alg-ES512", "ES384", false },
        { "no-alg-token-ES256-on-P-384", "ES256", false },
        { "no-alg-token-PS384-on-EC", "PS384", false },
        { "key_ops-sign-only", "ES384", false },
        { "key_ops-verify", "ES384", true },
    };

    [Theory]
    [MemberData(nameof(KeysAndAlgorithms))]
    public async Task KeyThatDoesNotFitTheTokensAlg_Refused(string key, string alg, bool accepted)
    {
        using var ehr = new TestEhr(TestServerHost.Now);
        var jwks = ehr.JwksWith(k =>
        {
            switch (key)
            {
                case "no-alg-no-use" or "no-alg-token-ES256-on-P-384" or "no-alg-token-PS384-on-EC":
                    k.Remove("alg");
                    k.Remove("use");
                    break;
                case "key-alg-ES512":
                    k["alg"] = "ES512";
                    break;
                case "key_ops-sign-only":
                    k["key_ops"] = new JsonArray("sign");
                    break;
                case "key_ops-verify":
                    k["key_ops"] = new JsonArray("verify");
                    break;
            }
        });
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [.. ehr.Arguments(), $"--SafetyCheck:CdsHooks:Issuers:0:Jwks={jwks}"]);
        using var http = host.CreateHttpClient(token: null);

        using var response = await http.SendAsync(ehr.Request(HttpMethod.Get, "/cds-services", token: ehr.Token("/cds-services", (h, _) => h["alg"] = alg)));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(accepted ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, response.StatusCode);
        if (!accepted)
        {
            Assert.Matches("not one for alg|no usable public key", (string?)body["reason"]);
        }
    }

    [Theory]
    [InlineData("use", "enc")]
    [InlineData("kty", "oct")]
    [InlineData("d", "c2VjcmV0")]
    public void JwkSet_KeyForEncryption_Symmetric_OrPrivate_NotUsable(string member, string value)
    {
        using var ehr = new TestEhr(TestServerHost.Now);

        Assert.Single(IssuerKeys.Parse(ehr.Jwks));
        Assert.Empty(IssuerKeys.Parse(ehr.JwksWith(k => k[member] = value)));
    }

    [Fact]
    public async Task IssuersAlgorithms_OtherAsymmetricAlg_Refused_ListedAlg_Accepted()
    {
        await using var rsOnly = await CdsHooksTestHost.StartAsync(args: "--SafetyCheck:CdsHooks:Issuers:0:Algorithms:0=RS256");
        await using var es384 = await CdsHooksTestHost.StartAsync(args: ["--SafetyCheck:CdsHooks:Issuers:0:Algorithms:0=RS256", "--SafetyCheck:CdsHooks:Issuers:0:Algorithms:1=ES384"]);

        var (refused, body) = await rsOnly.SendAsync(HttpMethod.Get, "/cds-services");
        var (accepted, _) = await es384.SendAsync(HttpMethod.Get, "/cds-services");

        Assert.Equal(HttpStatusCode.Unauthorized, refused);
        Assert.Contains("is not one this issuer signs with (RS256)", (string?)body["reason"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, accepted);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("none")]
    [InlineData("ES256K")]
    public void IssuersAlgorithms_NotAnAsymmetricAlgTheServiceAccepts_RefusedAtStart(string algorithm)
    {
        var options = new CdsHooksOptions { Urls = "http://127.0.0.1:5400" };
        var issuer = new CdsIssuerOptions { Issuer = "https://ehr.example.test/", JwksUrl = "https://ehr.example.test/jwks" };
        issuer.Algorithms.Add(algorithm);
        options.Issuers.Add(issuer);

        var failures = new CdsHooksOptionsValidator().Validate(null, options).Failures ?? [];

        Assert.Contains(failures, f => f.StartsWith($"SafetyCheck:CdsHooks:Issuers:0:Algorithms entry '{algorithm}' must be one of RS256", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://ehr.example.test/fhir?tenant=a")]
    [InlineData("https://user:secret@ehr.example.test/fhir")]
    [InlineData("https://ehr.example.test/fhir#r4")]
    [InlineData("http://ehr.example.test/fhir")]
    [InlineData("fhir/r4")]
    public void IssuersFhirServers_NotAFhirBaseUrl_RefusedAtStart(string server)
    {
        var options = new CdsHooksOptions { Urls = "http://127.0.0.1:5400" };
        var issuer = new CdsIssuerOptions { Issuer = "https://ehr.example.test/", JwksUrl = "https://ehr.example.test/jwks" };
        issuer.FhirServers.Add(server);
        options.Issuers.Add(issuer);

        var failures = new CdsHooksOptionsValidator().Validate(null, options).Failures ?? [];

        Assert.Equal([$"SafetyCheck:CdsHooks:Issuers:0:FhirServers entry '{server}' must be an absolute https URL (a FHIR base: no query, fragment or user info)."], failures);
    }

    [Fact]
    public async Task FhirServer_NoneConfiguredForTheIssuer_NotCalled_412CheckNotMade()
    {
        await using var server = await FixtureFhirServer.StartAsync(Patient(CdsHooksCalls.ToddlerId, "2023-08-25"), []);
        await using var cds = await CdsHooksTestHost.StartAsync();

        var (status, body) = await cds.CallAsync("massage-safety-appointment", FetchingCall(server.BaseUrl));

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        var card = Assert.Single(body["cards"]!.AsArray())!;
        Assert.Equal("massage-safety-check-not-made", (string?)card["source"]!["topic"]!["code"]);
        Assert.Contains("no FHIR server is configured for this EHR", (string?)card["detail"], StringComparison.Ordinal);
        Assert.Empty(server.Requests);
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Theory]
    [InlineData("another-server")]
    [InlineData("same-host-other-path")]
    [InlineData("path-in-another-case")]
    [InlineData("the-other-issuers-server")]
    public async Task FhirServer_NotOneConfiguredForTheTokensIssuer_NotCalled_412(string which)
    {
        await using var allowed = await FixtureFhirServer.StartAsync(Patient(CdsHooksCalls.ToddlerId, "2023-08-25"), []);
        await using var other = await FixtureFhirServer.StartAsync(Patient(CdsHooksCalls.ToddlerId, "2023-08-25"), []);
        using var second = new TestEhr(TestServerHost.Now, keyId: "second-key", issuer: "https://second-ehr.example.test/");
        await using var cds = await CdsHooksTestHost.StartAsync(args:
        [
            allowed.AllowedArgument,
            .. second.IssuerArguments(1),
            $"--SafetyCheck:CdsHooks:Issuers:1:FhirServers:0={other.BaseUrl}",
        ]);
        var named = which switch
        {
            "another-server" or "the-other-issuers-server" => other.BaseUrl,
            "same-host-other-path" => allowed.BaseUrl + "/../admin",
            "path-in-another-case" => allowed.BaseUrl.Replace("/fhir", "/FHIR", StringComparison.Ordinal),
            _ => throw new ArgumentOutOfRangeException(nameof(which)),
        };

        var (status, body) = await cds.CallAsync("massage-safety-appointment", FetchingCall(named));

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.Contains("is not one this EHR's data may be fetched from", (string?)body["cards"]![0]!["detail"], StringComparison.Ordinal);
        Assert.Empty(allowed.Requests);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task FhirServer_ConfiguredForTheIssuer_CalledWithItsAccessToken()
    {
        await using var server = await FixtureFhirServer.StartAsync(Patient(CdsHooksCalls.ToddlerId, "2023-08-25"), []);
        await using var cds = await CdsHooksTestHost.StartAsync(args: $"--SafetyCheck:CdsHooks:Issuers:0:FhirServers:0={server.BaseUrl}/");

        var (status, _) = await cds.CallAsync("massage-safety-appointment", FetchingCall(server.BaseUrl));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([$"/fhir/Condition?patient={CdsHooksCalls.ToddlerId}"], server.Requests);
        Assert.All(server.Authorizations, a => Assert.Equal("Bearer " + FixtureFhirServer.AccessToken, a));
    }

    [Theory]
    [InlineData("another-path")]
    [InlineData("base-path-as-a-prefix")]
    [InlineData("path-in-another-case")]
    [InlineData("dot-segments")]
    [InlineData("encoded-dot-segments")]
    [InlineData("relative-dot-segments")]
    [InlineData("another-port")]
    [InlineData("another-scheme")]
    [InlineData("another-host-name-for-the-same-server")]
    [InlineData("user-info")]
    public async Task NextLink_OutsideTheAllowedFhirBase_NotFollowed_412CheckNotMade(string which)
    {
        await using var server = await FixtureFhirServer.StartAsync(
            Patient(CdsHooksCalls.ToddlerId, "2023-08-25"),
            [Condition("a", CdsHooksCalls.ToddlerId, Snomed, "24079001"), Condition("b", CdsHooksCalls.ToddlerId, Snomed, "24079001", clinicalStatus: "resolved")]);
        var origin = new Uri(server.BaseUrl).GetLeftPart(UriPartial.Authority);
        var port = new Uri(server.BaseUrl).Port;
        var elsewhere = which switch
        {
            "another-path" => $"{origin}/admin/Condition?",
            "base-path-as-a-prefix" => $"{origin}/fhir-admin/Condition?",
            "path-in-another-case" => $"{origin}/FHIR/Condition?",
            "dot-segments" => $"{server.BaseUrl}/../admin/Condition?",
            "encoded-dot-segments" => $"{server.BaseUrl}/%2e%2e/admin/Condition?",
            "relative-dot-segments" => "../admin/Condition?",
            "another-port" => $"http://127.0.0.1:{port + 1}/fhir/Condition?",
            "another-scheme" => $"https://127.0.0.1:{port}/fhir/Condition?",
            "another-host-name-for-the-same-server" => $"http://localhost:{port}/fhir/Condition?",
            "user-info" => $"http://someone@127.0.0.1:{port}/fhir/Condition?",
            _ => throw new ArgumentOutOfRangeException(nameof(which)),
        };
        server.Rewrite = text => text.Replace(server.BaseUrl + "/Condition?", elsewhere, StringComparison.Ordinal);
        await using var cds = await CdsHooksTestHost.StartAsync(args: server.AllowedArgument);

        var (status, body) = await cds.CallAsync("massage-safety-appointment", FetchingCall(server.BaseUrl));

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        var card = Assert.Single(body["cards"]!.AsArray())!;
        Assert.Equal("massage-safety-check-not-made", (string?)card["source"]!["topic"]!["code"]);
        Assert.Contains($"the search's next page is on another server or path than {server.BaseUrl}", (string?)card["detail"], StringComparison.Ordinal);
        Assert.Equal([$"/fhir/Condition?patient={CdsHooksCalls.ToddlerId}"], server.Requests);
        Assert.Equal(0, (await cds.Audit.HeadAsync()).Size);
    }

    [Theory]
    [InlineData("https://ehr.example.test/fhir/r4", "https://ehr.example.test/fhir/r4/Condition?patient=p&page=2", true)]
    [InlineData("https://ehr.example.test/fhir/r4/", "https://ehr.example.test/fhir/r4/Condition?patient=p&page=2", true)]
    [InlineData("https://ehr.example.test/fhir/r4", "https://EHR.example.test:443/fhir/r4/Condition?page=2", true)]
    [InlineData("https://ehr.example.test/fhir/r4", "https://ehr.example.test/fhir/r4?_getpages=abc&_getpagesoffset=10", true)]
    [InlineData("https://ehr.example.test/fhir/r4", "https://ehr.example.test/fhir/r4", true)]
    [InlineData("https://ehr.example.test", "https://ehr.example.test/Condition?page=2", true)]
    [InlineData("https://ehr.example.test/fhir/r4", "https://ehr.example.test/fhir/r4b/Condition?page=2", false)]
    [InlineData("https://ehr.example.test/fhir/r4", "https://ehr.example.test/fhir/Condition?page=2", false)]
    [InlineData("https://ehr.example.test/fhir/r4", "https://ehr.example.test/fhir/r4/../r5/Condition", false)]
    [InlineData("https://ehr.example.test/fhir/r4", "https://ehr.example.test/fhir/r4/%2E%2E/r5/Condition", false)]
    [InlineData("https://ehr.example.test/fhir/r4", "https://ehr.example.test/fhir/r4/..%2Fr5/Condition", false)]
    [InlineData("https://ehr.example.test/fhir/r4", "https://ehr.example.test:8443/fhir/r4/Condition", false)]
    [InlineData("https://ehr.example.test/fhir/r4", "http://ehr.example.test/fhir/r4/Condition", false)]
    [InlineData("https://ehr.example.test/fhir/r4", "https://ehr.example.test.evil.test/fhir/r4/Condition", false)]
    [InlineData("https://ehr.example.test/fhir/r4", "https://user:pw@ehr.example.test/fhir/r4/Condition", false)]
    public void NextLink_UnderTheBase_OnlyWhenSameSchemeHostPort_AndPathUnderTheBasePath(string allowed, string next, bool under)
    {
        Assert.Equal(under, PatientDataSource.IsUnderBase(new Uri(allowed), new Uri(next)));
    }

    [Fact]
    public async Task Logs_HoldNeitherTheBearerTokenNorTheFhirAccessToken()
    {
        await using var server = await FixtureFhirServer.StartAsync(Patient(CdsHooksCalls.ToddlerId, "2023-08-25"), []);
        server.FailWith = 500;
        await using var cds = await CdsHooksTestHost.StartAsync(args: server.AllowedArgument);
        using var stranger = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var badSignature = cds.Ehr.Token(Service, signWith: stranger);
        var unknownIssuer = cds.Ehr.Token(Service, (_, p) => p["iss"] = "https://stranger.example.test/");
        var good = cds.Ehr.Token(Service);

        var (refused, _) = await cds.SendAsync(HttpMethod.Post, Service, CdsHooksCalls.Toddler(), badSignature);
        var (alsoRefused, _) = await cds.SendAsync(HttpMethod.Post, Service, CdsHooksCalls.Toddler(), unknownIssuer);
        var (failed, _) = await cds.SendAsync(HttpMethod.Post, Service, FetchingCall(server.BaseUrl), good);

        Assert.Equal(HttpStatusCode.Unauthorized, refused);
        Assert.Equal(HttpStatusCode.Unauthorized, alsoRefused);
        Assert.Equal(HttpStatusCode.PreconditionFailed, failed);
        var logs = string.Join("\n", cds.Host.Logs.Entries.Select(e => e.Message + " " + e.Exception));
        Assert.Contains("stranger.example.test", logs, StringComparison.Ordinal);
        foreach (var token in new[] { badSignature, unknownIssuer, good })
        {
            foreach (var part in token.Split('.'))
            {
                Assert.DoesNotContain(part, logs, StringComparison.Ordinal);
            }
        }

        Assert.DoesNotContain(FixtureFhirServer.AccessToken, logs, StringComparison.Ordinal);
    }

    /// <summary>Advances the service's and the EHR's clocks by <paramref name="wait"/>, then discovers: the status, and the refusal's reason.</summary>
    private static async Task<(HttpStatusCode Status, string? Reason)> DiscoverAfterWaitAsync(TestServerHost host, TestEhr ehr, HttpClient http, TimeSpan wait)
    {
        host.Clock.Advance(wait);
        ehr.Now = host.Clock.GetUtcNow();
        using var response = await http.SendAsync(ehr.Request(HttpMethod.Get, "/cds-services"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.StatusCode == HttpStatusCode.OK ? null : (string?)JsonNode.Parse(text)!["reason"]);
    }

    /// <summary>A service whose one issuer (<paramref name="ehr"/>) publishes its keys at <paramref name="jwks"/>'s URL, not inline.</summary>
    private static Task<TestServerHost> StartWithJwksUrlAsync(TestEhr ehr, RecordingServer jwks, params string[] settings) =>
        TestServerHost.StartAsync(TestPaths.Rules, args:
        [
            .. ehr.Arguments(settings),
            "--SafetyCheck:CdsHooks:Issuers:0:Jwks=",
            $"--SafetyCheck:CdsHooks:Issuers:0:JwksUrl={jwks.Url}",
        ]);

    /// <summary>The toddler's call whose conditions must be fetched from <paramref name="fhirServer"/>.</summary>
    private static JsonObject FetchingCall(string fhirServer)
    {
        var call = CdsHooksCalls.Toddler();
        call["prefetch"]!.AsObject().Remove("conditions");
        CdsHooksCalls.WithServer(call, fhirServer);
        return call;
    }

    /// <summary>A server on 127.0.0.1 that answers every GET with <see cref="Body"/> and records each request.</summary>
    private sealed class RecordingServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private RecordingServer(WebApplication app) => _app = app;

        public string Url => _app.Urls.First() + "/jwks.json";

        public string Body { get; set; } = "{}";

        /// <summary>An HTTP status every request is answered with instead of <see cref="Body"/>; null to answer with it.</summary>
        public int? FailWith { get; set; }

        public ConcurrentQueue<string> Requests { get; } = new();

        public static async Task<RecordingServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var server = new RecordingServer(app);
            app.Run(context =>
            {
                server.Requests.Enqueue(context.Request.Path + context.Request.QueryString);
                context.Response.ContentType = "application/json";
                if (server.FailWith is { } status)
                {
                    context.Response.StatusCode = status;
                    return context.Response.WriteAsync("{}");
                }

                return context.Response.WriteAsync(server.Body);
            });
            await app.StartAsync();
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
