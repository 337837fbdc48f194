using System.Security.Cryptography;
using System.Text;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>
/// The API keys the in-memory host accepts unless a test says otherwise: one per role, and one holding every role
/// that the host's default channel uses (so a test of any service authenticates without further ado).
/// </summary>
public static class TestCredentials
{
    public const string ClinicalAppKey = "test-clinical-app-key-6f1c2b7e9d0a4c35";

    public const string AuditorKey = "test-auditor-key-0b9e8d7c6f5a4321";

    public const string RulesAdminKey = "test-rules-admin-key-a1b2c3d4e5f60718";

    public const string AllRolesKey = "test-all-roles-key-5d4c3b2a1f0e9d8c";

    /// <summary>Configuration arguments for the keys: names test-clinical-app, test-auditor, test-rules-admin, test-all-roles.</summary>
    public static string[] ApiKeyArguments { get; } =
    [
        .. ApiKey(0, "test-clinical-app", ClinicalAppKey, "clinical-app"),
        .. ApiKey(1, "test-auditor", AuditorKey, "auditor"),
        .. ApiKey(2, "test-rules-admin", RulesAdminKey, "rules-admin"),
        .. ApiKey(3, "test-all-roles", AllRolesKey, "clinical-app", "auditor", "rules-admin"),
    ];

    /// <summary>Lowercase hex SHA-256 of the key's UTF-8 bytes, as configuration holds it.</summary>
    public static string Sha256(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Configuration arguments for API key number <paramref name="index"/>.</summary>
    public static string[] ApiKey(int index, string name, string key, params string[] roles) =>
    [
        $"--SafetyCheck:Authentication:ApiKeys:{index}:Name={name}",
        $"--SafetyCheck:Authentication:ApiKeys:{index}:Sha256={Sha256(key)}",
        .. roles.Select((r, i) => $"--SafetyCheck:Authentication:ApiKeys:{index}:Roles:{i}={r}"),
    ];
}
