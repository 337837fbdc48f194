using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary><c>audit backup</c> configured for the PostgreSQL store (from the environment, as a deployment gives it).</summary>
[Collection(ProcessEnvironment.Name)]
public sealed class AuditBackupPostgresCliTests
{
    [Fact]
    public async Task Backup_PostgreSqlStore_Exits2PointingToPgDump_AndWritesNothing()
    {
        using var backups = new TempAuditFolder();
        Environment.SetEnvironmentVariable("SafetyCheck__Audit__Provider", "PostgreSql");
        Environment.SetEnvironmentVariable("SafetyCheck__Audit__ConnectionString", "Host=127.0.0.1;Port=1;Database=none;Username=nobody");
        try
        {
            var run = await CliRun.InvokeAsync(["audit", "backup", "--output", backups.File("audit-backup.db")]);

            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Equal("", run.Output);
            var lines = run.Error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var line = Assert.Single(lines);
            Assert.Contains("pg_dump", line, StringComparison.Ordinal);
            Assert.Contains("src/SafetyCheck.Audit.PostgreSql/README.md#backups", line, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFileSystemEntries(backups.Path));
        }
        finally
        {
            Environment.SetEnvironmentVariable("SafetyCheck__Audit__Provider", null);
            Environment.SetEnvironmentVariable("SafetyCheck__Audit__ConnectionString", null);
        }
    }
}
