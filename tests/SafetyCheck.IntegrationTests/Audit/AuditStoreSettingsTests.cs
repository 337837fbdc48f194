using Microsoft.Extensions.Configuration;
using SafetyCheck.Audit;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary>The store settings that serve and every audit verb read from SafetyCheck:Audit.</summary>
public sealed class AuditStoreSettingsTests
{
    [Fact]
    public void Resolve_NothingSet_SqliteWithAnInstanceIdFromTheHostName()
    {
        var settings = AuditStoreSettings.Resolve(Configuration());

        Assert.Equal(AuditProvider.Sqlite, settings.Provider);
        Assert.Null(settings.ConnectionString);
        Assert.Matches("^[a-z0-9][a-z0-9._-]*$", settings.InstanceId);
    }

    [Fact]
    public void Resolve_PostgreSqlAnyCase_WithConnectionStringAndInstance()
    {
        var settings = AuditStoreSettings.Resolve(Configuration(("Provider", "postgresql"), ("ConnectionString", "Host=db;Database=sc"), ("InstanceId", "node-a")));

        Assert.Equal((AuditProvider.PostgreSql, "Host=db;Database=sc", "node-a"), (settings.Provider, settings.ConnectionString, settings.InstanceId));
    }

    [Theory]
    [InlineData("Provider", "Oracle", "SafetyCheck:Audit:Provider: 'Oracle' is not Sqlite or PostgreSql")]
    [InlineData("InstanceId", "node a", "SafetyCheck:Audit:InstanceId: 'node a' is not")]
    [InlineData("InstanceId", "-node", "SafetyCheck:Audit:InstanceId: '-node' is not")]
    public void Problem_BadSetting_NamesIt(string name, string value, string expected)
    {
        var options = new AuditOptions { Provider = "PostgreSql", ConnectionString = "Host=db", PseudonymKey = Convert.ToBase64String(new byte[32]) };
        typeof(AuditOptions).GetProperty(name)!.SetValue(options, value);

        Assert.StartsWith(expected, AuditStoreSettings.Problem(options), StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_PostgreSqlWithoutConnectionStringOrSharedPseudonymKey_NamesWhatIsMissing()
    {
        Assert.Equal(
            "SafetyCheck:Audit:ConnectionString is required with the PostgreSql provider",
            AuditStoreSettings.Problem(new AuditOptions { Provider = "PostgreSql", PseudonymKey = Convert.ToBase64String(new byte[32]) }));
        Assert.StartsWith(
            "SafetyCheck:Audit:PseudonymKey is required with the PostgreSql provider",
            AuditStoreSettings.Problem(new AuditOptions { Provider = "PostgreSql", ConnectionString = "Host=db" }),
            StringComparison.Ordinal);
        Assert.Null(AuditStoreSettings.Problem(new AuditOptions()));
    }

    [Fact]
    public void Describe_PostgreSql_NamesTheDatabaseWithoutThePassword()
    {
        var settings = AuditStoreSettings.Resolve(Configuration(("Provider", "PostgreSql"), ("ConnectionString", "Host=db;Port=5433;Database=sc;Username=svc;Password=secret")));

        var described = settings.Describe(new AuditPaths("/x/audit.db", "/x/key.pem"));

        Assert.Equal("PostgreSQL svc@db:5433/sc", described);
    }

    private static IConfiguration Configuration(params (string Name, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create<string, string?>("SafetyCheck:Audit:" + s.Name, s.Value))).Build();
}
