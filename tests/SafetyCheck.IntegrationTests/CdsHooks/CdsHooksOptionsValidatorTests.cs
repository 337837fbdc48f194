using SafetyCheck.CdsHooks;

namespace SafetyCheck.IntegrationTests.CdsHooks;

public sealed class CdsHooksOptionsValidatorTests
{
    [Fact]
    public void Validate_ServiceOff_NothingElseChecked()
    {
        var options = new CdsHooksOptions { DefaultSetting = "SPA", MaxTokenLifetimeSeconds = 0 };

        Assert.True(new CdsHooksOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_EveryBadSetting_ReportedAtOnce()
    {
        var options = new CdsHooksOptions
        {
            Urls = "http://0.0.0.0:5400;https://127.0.0.1:5401",
            BaseUrl = "not a url",
            DefaultSetting = "SPA",
            TimeZone = "Mars/Olympus",
            MaxTokenLifetimeSeconds = 86400,
            FhirBudgetSeconds = 0,
        };
        options.Issuers.Add(new CdsIssuerOptions { Issuer = "https://ehr.example.test/", JwksUrl = "http://ehr.example.test/jwks" });
        options.Issuers.Add(new CdsIssuerOptions { Issuer = "https://ehr.example.test/", Jwks = """{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}""" });
        options.Issuers.Add(new CdsIssuerOptions());
        options.AllowedOrigins.Add("*");
        options.SessionCodes.Add("just-a-code");

        var result = new CdsHooksOptionsValidator().Validate(null, options);

        var failures = Assert.IsAssignableFrom<IEnumerable<string>>(result.Failures).ToArray();
        string[] expected =
        [
            "Urls entry 'http://0.0.0.0:5400' is cleartext off loopback",
            "BaseUrl must be the absolute http(s) URL",
            "Issuers:0:JwksUrl must be an absolute https URL",
            "Issuers:1:Issuer 'https://ehr.example.test/' is listed twice",
            "Issuers:1:Jwks holds a private or symmetric key",
            "Issuers:2:Issuer is required",
            "Issuers:2 must have exactly one of JwksUrl or Jwks (has 0)",
            "AllowedOrigins entry '*'",
            "SessionCodes entry 'just-a-code'",
            "DefaultSetting must be one of",
            "TimeZone must be an IANA time zone",
            "MaxTokenLifetimeSeconds must be between 10 and 3600",
            "FhirBudgetSeconds must be between 1 and 60 (got 0)",
        ];
        Assert.All(expected, e => Assert.Contains(failures, f => f.Contains(e, StringComparison.Ordinal)));
        Assert.Equal(expected.Length, failures.Length);
    }

    [Theory]
    [InlineData("localtime")]
    [InlineData("posixrules")]
    public void Validate_TimeZoneNamingTheHostsSetting_IsRefused(string zone)
    {
        var options = new CdsHooksOptions { Urls = "http://127.0.0.1:5400", TimeZone = zone };

        var result = new CdsHooksOptionsValidator().Validate(null, options);

        Assert.Contains(Assert.IsAssignableFrom<IEnumerable<string>>(result.Failures), f => f.Contains($"TimeZone must be an IANA time zone such as Europe/London (got '{zone}')", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 1, 0, new string[0])]
    [InlineData(20, 100, 16, new string[0])]
    [InlineData(-1, 0, -1, new[] { "CallsPerSecondPerIssuer must be between 0 and 10000 (got -1)", "CallBurstPerIssuer must be between 1 and 100000 (got 0)", "MaxConcurrentCallsPerIssuer must be between 0 and 10000 (got -1)" })]
    [InlineData(50, 10, 10_001, new[] { "MaxConcurrentCallsPerIssuer must be between 0 and 10000 (got 10001)", "CallBurstPerIssuer must be at least CallsPerSecondPerIssuer (50; got 10)" })]
    public void Validate_CallLimits_ZeroIsOff_BadValuesNamed(int perSecond, int burst, int concurrent, string[] expected)
    {
        var options = new CdsHooksOptions { Urls = "http://127.0.0.1:5400", CallsPerSecondPerIssuer = perSecond, CallBurstPerIssuer = burst, MaxConcurrentCallsPerIssuer = concurrent };
        options.Issuers.Add(new CdsIssuerOptions { Issuer = "https://ehr.example.test/", JwksUrl = "https://ehr.example.test/jwks" });

        var failures = new CdsHooksOptionsValidator().Validate(null, options).Failures ?? [];

        Assert.Equal(expected.Select(e => $"SafetyCheck:CdsHooks:{e}."), failures);
    }

    [Fact]
    public void Validate_EnabledWithoutIssuers_Fails()
    {
        var result = new CdsHooksOptionsValidator().Validate(null, new CdsHooksOptions { Urls = "http://127.0.0.1:5400" });

        Assert.Contains(result.Failures!, f => f.Contains("Issuers must name at least one EHR", StringComparison.Ordinal));
    }
}
