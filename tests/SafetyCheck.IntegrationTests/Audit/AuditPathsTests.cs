using Microsoft.Extensions.Configuration;
using SafetyCheck.Audit;

namespace SafetyCheck.IntegrationTests.Audit;

public sealed class AuditPathsTests
{
    [Fact]
    public void Resolve_NothingConfigured_DefaultsBelowTheCurrentDirectory()
    {
        var paths = AuditPaths.Resolve(null, Configuration());

        Assert.Equal(Path.Combine(Environment.CurrentDirectory, ".safetycheck", "audit.db"), paths.DatabasePath);
        Assert.Null(paths.CheckpointKeyPath);
        Assert.Null(paths.CheckpointSigner);
    }

    [Fact]
    public void Resolve_FlagWinsOverConfiguration()
    {
        var configuration = Configuration(("SafetyCheck:Audit:DatabasePath", "/var/lib/safetycheck/audit.db"));

        Assert.Equal("/var/lib/safetycheck/audit.db", AuditPaths.Resolve(null, configuration).DatabasePath);
        Assert.Equal("/srv/other.db", AuditPaths.Resolve("/srv/other.db", configuration).DatabasePath);
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "rel", "a.db"), AuditPaths.Resolve("rel/a.db", configuration).DatabasePath);
    }

    [Fact]
    public void Resolve_ConfiguredCheckpointKey_IsUsedAsGiven()
    {
        var paths = AuditPaths.Resolve("/srv/a.db", Configuration(("SafetyCheck:Audit:CheckpointKeyPath", "/keys/checkpoint.pem")));

        Assert.Equal("/keys/checkpoint.pem", paths.CheckpointKeyPath);
        Assert.Equal("/keys/checkpoint.pub.pem", CheckpointKeys.PublicKeyPathFor(paths.CheckpointKeyPath!));
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
