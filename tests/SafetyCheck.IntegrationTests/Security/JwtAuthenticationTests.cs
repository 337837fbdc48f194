using System.Security.Cryptography;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;
using SafetyCheckApi = SafetyCheck.Protos.V1.SafetyCheck;

namespace SafetyCheck.IntegrationTests.Security;

/// <summary>JWT bearer tokens: issuer, audience, signature and lifetime (on the service's clock), the caller's name and roles.</summary>
public sealed class JwtAuthenticationTests
{
    private const string Issuer = "https://idp.example.test";
    private const string Audience = "safetycheck";

    // Made once: RSA key generation is slow, and the keys are only read.
    private static readonly RSA SigningKey = RSA.Create(2048);
    private static readonly RSA OtherKey = RSA.Create(2048);

    public static TheoryData<string> RefusedTokens =>
    [
        "expired", "not yet valid", "no expiry", "wrong issuer", "wrong audience", "signed by another key", "unsigned", "tampered payload", "no sub",
        "sub with a control character",
    ];

    [Fact]
    public async Task Check_TokenWithClinicalAppRole_DecidesAsItsSubject()
    {
        CallerCapture? capture = null;
        await using var host = await StartAsync(b => capture = CallerCapture.AddTo(b.Services));

        var response = await ClientWith(host, Token(roles: ["clinical-app", "something-else"])).CheckAsync(SampleRequests.Infant());

        Assert.NotEqual(Suitability.Unspecified, response.Suitability);
        Assert.Equal("scheduler-7", capture!.Last.Name);
        Assert.Equal(["clinical-app", "something-else"], capture.Last.Roles);
    }

    [Fact]
    public async Task Check_SingularRoleClaim_CountsAsARole()
    {
        CallerCapture? capture = null;
        await using var host = await StartAsync(b => capture = CallerCapture.AddTo(b.Services));
        var token = Token(extra: new() { ["role"] = "clinical-app" }, roles: null);

        await ClientWith(host, token).CheckAsync(SampleRequests.Infant());

        Assert.Equal(["clinical-app"], capture!.Last.Roles);
    }

    [Fact]
    public async Task Check_AuditorToken_PermissionDenied()
    {
        await using var host = await StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => ClientWith(host, Token(roles: ["auditor"])).CheckAsync(SampleRequests.Infant()).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task Check_RefusedToken_Unauthenticated(string what)
    {
        await using var host = await StartAsync();
        var now = TestServerHost.Now;
        var token = what switch
        {
            // Beyond the 60-second clock skew allowed.
            "expired" => Token(expires: now.AddMinutes(-2), notBefore: now.AddMinutes(-30)),
            "not yet valid" => Token(notBefore: now.AddMinutes(5), expires: now.AddMinutes(30)),
            "no expiry" => Token(noExpiry: true),
            "wrong issuer" => Token(issuer: "https://evil.example.test"),
            "wrong audience" => Token(audience: "another-service"),
            "signed by another key" => Token(key: OtherKey),
            "unsigned" => Token(unsigned: true),
            "tampered payload" => Tamper(Token()),
            "no sub" => Token(subject: null),
            "sub with a control character" => Token(subject: "ward-4\u0000app"),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => ClientWith(host, token).CheckAsync(SampleRequests.Infant()).ResponseAsync);

        Assert.True(error.StatusCode == StatusCode.Unauthenticated, $"{what}: {error.Status}");
        Assert.Single(host.Logs.Entries, e => e.Category.EndsWith(".JwtSetup", StringComparison.Ordinal) && e.EventId.Id == 306);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Exception is not null);
    }

    [Fact]
    public async Task Check_TokenLifetime_IsJudgedByTheServiceClock()
    {
        // The fake clock is in 2025: the token is valid then, whatever the machine's clock says.
        await using var host = await StartAsync();
        var client = ClientWith(host, Token(expires: TestServerHost.Now.AddMinutes(10)));

        await client.CheckAsync(SampleRequests.Infant());
        await host.SettledAsync();
        host.Clock.Advance(TimeSpan.FromMinutes(12));
        var error = await Assert.ThrowsAsync<RpcException>(() => client.CheckAsync(SampleRequests.Infant()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Check_SharedSecretKey_AcceptsHs256Tokens()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args:
        [
            $"--SafetyCheck:Authentication:Jwt:Issuer={Issuer}",
            $"--SafetyCheck:Authentication:Jwt:Audience={Audience}",
            $"--SafetyCheck:Authentication:Jwt:SigningKeys:0:SymmetricKeyBase64={Convert.ToBase64String(secret)}",
        ]);
        var credentials = new SigningCredentials(new SymmetricSecurityKey(secret), SecurityAlgorithms.HmacSha256);

        var response = await ClientWith(host, Token(credentials: credentials)).CheckAsync(SampleRequests.Infant());

        Assert.NotEqual(Suitability.Unspecified, response.Suitability);
    }

    [Fact]
    public async Task ApiKeysStillWork_AlongsideJwt()
    {
        await using var host = await StartAsync();

        var response = await host.Client.CheckAsync(SampleRequests.Infant());

        Assert.NotEqual(Suitability.Unspecified, response.Suitability);
    }

    private static SafetyCheckApi.SafetyCheckClient ClientWith(TestServerHost host, string token) => new(host.CreateChannel(token));

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("scheduler-7", "scheduler-8", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }

    private static Task<TestServerHost> StartAsync(Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null) =>
        TestServerHost.StartAsync(TestPaths.Rules, configure: configure, args:
        [
            $"--SafetyCheck:Authentication:Jwt:Issuer={Issuer}",
            $"--SafetyCheck:Authentication:Jwt:Audience={Audience}",
            $"--SafetyCheck:Authentication:Jwt:SigningKeys:0:PublicKeyPem={SigningKey.ExportSubjectPublicKeyInfoPem()}",
        ]);

    private static string Token(
        string[]? roles = null,
        Dictionary<string, object>? extra = null,
        string? subject = "scheduler-7",
        string issuer = Issuer,
        string audience = Audience,
        DateTimeOffset? expires = null,
        bool noExpiry = false,
        DateTimeOffset? notBefore = null,
        RSA? key = null,
        bool unsigned = false,
        SigningCredentials? credentials = null)
    {
        var now = TestServerHost.Now;
        var claims = new Dictionary<string, object>(extra ?? []);
        if (subject is not null)
        {
            claims["sub"] = subject;
        }

        if (roles is not null || extra is null)
        {
            claims["roles"] = roles ?? ["clinical-app"];
        }

        credentials ??= unsigned ? null : new SigningCredentials(new RsaSecurityKey(key ?? SigningKey), SecurityAlgorithms.RsaSha256);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = (notBefore ?? now.AddMinutes(-1)).UtcDateTime,
            Expires = noExpiry ? null : (expires ?? now.AddMinutes(10)).UtcDateTime,
            SigningCredentials = credentials,
        };

        // Times come from the descriptor alone, never from the machine's clock.
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
