using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyCheck.Hosting;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Limits;

namespace SafetyCheck.IntegrationTests.Limits;

public sealed class LimitsOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed() =>
        Assert.True(new LimitsOptionsValidator().Validate(null, new LimitsOptions()).Succeeded);

    [Fact]
    public void Validate_BadConnectionSettings_ReportsEveryOneAtOnce()
    {
        var options = new LimitsOptions
        {
            MaxConnectionsPerAddress = -1,
            IdleTimeoutSeconds = 0,
            RequestHeadersTimeoutSeconds = 0,
            HandshakeTimeoutSeconds = -5,
            KeepAlivePingDelaySeconds = -1,
            KeepAlivePingTimeoutSeconds = 0,
            HealthUrls = "https://127.0.0.1:5081; http://127.0.0.1 ;http://127.0.0.1:0;http://127.0.0.1:5082/health;not a url;http://[::1]:5083",
        };

        var failures = new LimitsOptionsValidator().Validate(null, options).Failures!.ToArray();

        Assert.Contains("SafetyCheck:Limits:MaxConnectionsPerAddress must be at least 0 (got -1).", failures);
        Assert.Contains("SafetyCheck:Limits:IdleTimeoutSeconds must be at least 1 (got 0).", failures);
        Assert.Contains("SafetyCheck:Limits:RequestHeadersTimeoutSeconds must be at least 1 (got 0).", failures);
        Assert.Contains("SafetyCheck:Limits:HandshakeTimeoutSeconds must be at least 1 (got -5).", failures);
        Assert.Contains("SafetyCheck:Limits:KeepAlivePingDelaySeconds must be at least 0 (got -1).", failures);
        Assert.Contains("SafetyCheck:Limits:KeepAlivePingTimeoutSeconds must be at least 1 (got 0).", failures);
        Assert.Contains(failures, f => f.StartsWith("SafetyCheck:Limits:HealthUrls: 'https://127.0.0.1:5081' must be http://", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SafetyCheck:Limits:HealthUrls: 'http://127.0.0.1' must name a port", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SafetyCheck:Limits:HealthUrls: 'http://127.0.0.1:0' must name a port", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SafetyCheck:Limits:HealthUrls: 'http://127.0.0.1:5082/health' must not have a path", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SafetyCheck:Limits:HealthUrls: 'not a url'", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.Contains("[::1]:5083", StringComparison.Ordinal));
        Assert.Equal(11, failures.Length);
    }

    [Fact]
    public async Task Start_OnKestrel_BadTimeouts_StopTheStartWithEveryProblemNamed()
    {
        // Kestrel reads its limits while the application starts: a bad one is the options' failure, not Kestrel's.
        var builder = SafetyCheckHost.CreateBuilder(
            [TestAudit.NewDatabaseArgument(), .. TestCredentials.ApiKeyArguments, "--SafetyCheck:Limits:IdleTimeoutSeconds=0", "--SafetyCheck:Limits:KeepAlivePingTimeoutSeconds=0"],
            new SafetyCheckHostOptions { RulesDirectory = TestPaths.Rules, Urls = "http://127.0.0.1:0", LoadRulesOnStart = false });
        builder.Logging.ClearProviders();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = SafetyCheckHost.Build(builder);
            await app.StartAsync();
        });

        Assert.Contains("IdleTimeoutSeconds must be at least 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("KeepAlivePingTimeoutSeconds must be at least 1", error.Message, StringComparison.Ordinal);
    }
}
