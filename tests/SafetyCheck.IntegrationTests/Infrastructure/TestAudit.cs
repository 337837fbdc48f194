namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>A fresh audit database path per host, so hosts started in parallel never share (and lock) one.</summary>
internal static class TestAudit
{
    /// <summary>A new database path under the temporary folder.</summary>
    public static string NewDatabasePath() =>
        Path.Combine(Path.GetTempPath(), "safetycheck-tests", "audit-" + Path.GetRandomFileName(), "audit.db");

    /// <summary>The configuration argument that points a host at a new database.</summary>
    public static string NewDatabaseArgument() => "--SafetyCheck:Audit:DatabasePath=" + NewDatabasePath();
}
