using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyCheck.Hosting;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Security;

/// <summary>Bad access-control or limits settings stop the start, every one of them named at once.</summary>
public sealed class CredentialsOptionsValidationTests
{
    [Fact]
    public async Task Start_BadApiKeys_ReportsEveryProblem()
    {
        var error = await StartExpectingFailureAsync(
        [
            "--SafetyCheck:Authentication:ApiKeys:0:Name=",
            "--SafetyCheck:Authentication:ApiKeys:0:Sha256=plain-text-key",
            "--SafetyCheck:Authentication:ApiKeys:0:Roles:0=clinical_app",
            $"--SafetyCheck:Authentication:ApiKeys:1:Name=app",
            $"--SafetyCheck:Authentication:ApiKeys:1:Sha256={TestCredentials.Sha256("k")}",
            $"--SafetyCheck:Authentication:ApiKeys:2:Name=app",
            $"--SafetyCheck:Authentication:ApiKeys:2:Sha256={TestCredentials.Sha256("k").ToUpperInvariant()}",
            "--SafetyCheck:Authentication:ApiKeys:2:Roles:0=auditor",
        ]);

        Assert.Contains("ApiKeys:0:Name is required", error, StringComparison.Ordinal);
        Assert.Contains("ApiKeys:0:Sha256 must be the 64-character hex SHA-256", error, StringComparison.Ordinal);
        Assert.Contains("unknown role 'clinical_app'", error, StringComparison.Ordinal);
        Assert.Contains("ApiKeys:1:Roles must list at least one", error, StringComparison.Ordinal);
        Assert.Contains("ApiKeys:2:Name 'app' is used by another API key", error, StringComparison.Ordinal);
        Assert.Contains("ApiKeys:2:Sha256 is the same key as another entry", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_IncompleteJwt_ReportsEveryProblem()
    {
        var error = await StartExpectingFailureAsync(
        [
            "--SafetyCheck:Authentication:Jwt:Authority=http://idp.example.test",
            "--SafetyCheck:Authentication:Jwt:SigningKeys:0:SymmetricKeyBase64=c2hvcnQ=",
            "--SafetyCheck:Authentication:Jwt:SigningKeys:1:PublicKeyPem=-----BEGIN PRIVATE KEY-----",
            "--SafetyCheck:Authentication:Jwt:SigningKeys:2:PublicKeyPem=not a key",
            "--SafetyCheck:Authentication:Jwt:SigningKeys:3:KeyId=nothing",
        ]);

        Assert.Contains("Jwt:Issuer is required", error, StringComparison.Ordinal);
        Assert.Contains("Jwt:Audience is required", error, StringComparison.Ordinal);
        Assert.Contains("Jwt:Authority must be an https URL", error, StringComparison.Ordinal);
        Assert.Contains("SigningKeys:0:SymmetricKeyBase64 must decode to at least 32 bytes (got 5)", error, StringComparison.Ordinal);
        Assert.Contains("SigningKeys:1 holds a private key", error, StringComparison.Ordinal);
        Assert.Contains("SigningKeys:2 is not an RSA or EC public key", error, StringComparison.Ordinal);
        Assert.Contains("SigningKeys:3 must have exactly one of", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BadClientCertificateMappings_ReportsEveryProblem()
    {
        var error = await StartExpectingFailureAsync(
        [
            "--SafetyCheck:Authentication:ClientCertificates:Enabled=true",
            "--SafetyCheck:Authentication:ClientCertificates:Mappings:0:Subject=CN=scheduling-app",
            "--SafetyCheck:Authentication:ClientCertificates:Mappings:0:Roles:0=clinical-app",
            "--SafetyCheck:Authentication:ClientCertificates:Mappings:1:Thumbprint=abc",
            "--SafetyCheck:Authentication:ClientCertificates:Mappings:1:Roles:0=auditor",
            "--SafetyCheck:Authentication:ClientCertificates:Mappings:2:Roles:0=auditor",
        ]);

        Assert.Contains("Mappings:0:Subject needs SafetyCheck:Authentication:ClientCertificates:TrustedCaFile", error, StringComparison.Ordinal);
        Assert.Contains("Mappings:1:Thumbprint must be a SHA-1 (40 hex) or SHA-256 (64 hex) thumbprint", error, StringComparison.Ordinal);
        Assert.Contains("Mappings:2 must have exactly one of Thumbprint or Subject", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BadLimits_ReportsEveryProblem()
    {
        var error = await StartExpectingFailureAsync(
        [
            .. TestCredentials.ApiKeyArguments,
            "--SafetyCheck:Limits:MaxReceiveMessageSize=10",
            "--SafetyCheck:Limits:MaxConcurrentCalls=0",
            "--SafetyCheck:Limits:CallsPerSecondPerCaller=100",
            "--SafetyCheck:Limits:CallBurstPerCaller=10",
        ]);

        Assert.Contains("Limits:MaxReceiveMessageSize must be at least 1024 (got 10)", error, StringComparison.Ordinal);
        Assert.Contains("Limits:MaxConcurrentCalls must be at least 1 (got 0)", error, StringComparison.Ordinal);
        Assert.Contains("Limits:CallBurstPerCaller must be at least CallsPerSecondPerCaller", error, StringComparison.Ordinal);
    }

    private static async Task<string> StartExpectingFailureAsync(string[] args)
    {
        var builder = SafetyCheckHost.CreateBuilder([TestAudit.NewDatabaseArgument(), .. args], new SafetyCheckHostOptions { RulesDirectory = TestPaths.Rules, LoadRulesOnStart = false });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();

        // Some settings are read while the application is built (Kestrel, gRPC), the rest when it starts.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = SafetyCheckHost.Build(builder);
            await app.StartAsync();
        });
        return error.Message;
    }
}
