using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SafetyCheck.AuditPage;
using SafetyCheck.Security;

namespace SafetyCheck.IntegrationTests.AuditPage;

public sealed class AuditPageOptionsValidatorTests
{
    [Fact]
    public void Validate_EveryProblem_IsReportedAtOnceNamingTheKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // As the host composes them: the gRPC addresses, then each acceptable page address once.
            ["urls"] = "http://127.0.0.1:5080;http://127.0.0.1:5083;http://127.0.0.1:5080",
        }).Build();
        var options = new AuditPageOptions
        {
            Urls = "http://10.0.0.5:5082;http://127.0.0.1:5080;https://127.0.0.1",
            IdleMinutes = 0,
            SessionHours = 25,
            OpenIdConnect = { ClientId = "audit-page" },
        };

        var result = new AuditPageOptionsValidator(configuration, Options.Create(new CredentialsOptions())).Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToArray();
        Assert.Contains(failures, f => f.Contains("'http://10.0.0.5:5082' is cleartext off loopback", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("'https://127.0.0.1' must name a port", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("port 5080 is also a gRPC or health address", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SafetyCheck:AuditPage:IdleMinutes", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SafetyCheck:AuditPage:SessionHours", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SafetyCheck:AuditPage:OpenIdConnect:ClientId needs the issuer", StringComparison.Ordinal));
        Assert.Equal(6, failures.Length);
    }

    [Fact]
    public void Validate_DefaultsAndALoopbackPage_Pass()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:5080;http://127.0.0.1:5082" }).Build();

        Assert.False(new AuditPageOptionsValidator(configuration, Options.Create(new CredentialsOptions())).Validate(null, new AuditPageOptions()).Failed);
        Assert.False(new AuditPageOptionsValidator(configuration, Options.Create(new CredentialsOptions())).Validate(null, new AuditPageOptions { Urls = "http://127.0.0.1:5082" }).Failed);
    }
}
