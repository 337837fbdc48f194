using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SafetyCheck.Security;

namespace SafetyCheck.IntegrationTests.Security;

public sealed class ApiKeyRegistryTests
{
    private const string Key = "k3y-for-a-synthetic-scheduling-app";

    [Fact]
    public void Find_ConfiguredKey_IsItsEntryWithOnePrincipalForEveryCall()
    {
        var registry = Registry(("scheduling-app", Key, ["clinical-app"]));

        var first = registry.Find(Key);
        var second = registry.Find(Key);

        Assert.NotNull(first);
        Assert.Same(first, second);
        Assert.Same(first.Principal, second!.Principal);
        Assert.Equal("scheduling-app", first.Principal.Identity!.Name);
        Assert.True(first.Principal.Identity.IsAuthenticated);
        Assert.True(first.Principal.IsInRole("clinical-app"));
        Assert.False(first.Principal.IsInRole("auditor"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("k3y-for-a-synthetic-scheduling-apP")]
    [InlineData("a key far longer than any generated key, so that hashing it takes a rented buffer instead of the stack: ................................................................................................")]
    public void Find_OtherKey_IsNull(string presented) =>
        Assert.Null(Registry(("scheduling-app", Key, ["clinical-app"])).Find(presented));

    [Fact]
    public void Find_LongKeyThatIsConfigured_IsFound()
    {
        var key = new string('é', 400);

        Assert.Equal("long", Registry(("long", key, ["auditor"])).Find(key)?.Name);
    }

    [Fact]
    public void Add_DevelopmentKey_IsFoundWithItsRoles()
    {
        var registry = Registry();

        registry.Add("development", "scdev_synthetic", ["clinical-app", "auditor"]);

        var entry = registry.Find("scdev_synthetic");
        Assert.Equal(("development", 1), (entry?.Name, registry.Count));
        Assert.True(entry!.Principal.IsInRole("auditor"));
    }

    private static ApiKeyRegistry Registry(params (string Name, string Key, string[] Roles)[] keys)
    {
        var options = new CredentialsOptions();
        foreach (var (name, key, roles) in keys)
        {
            var configured = new ApiKeyOptions { Name = name, Sha256 = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))) };
            configured.Roles.AddRange(roles);
            options.ApiKeys.Add(configured);
        }

        return new ApiKeyRegistry(Options.Create(options));
    }
}
