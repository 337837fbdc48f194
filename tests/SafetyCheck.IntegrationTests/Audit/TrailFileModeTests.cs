using Microsoft.Extensions.Logging;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary>
/// What a start says about the SQLite file it opens. A trail file that its group or others can read (a database made by an early version at 0644, or restored so) is
/// named at start with the command that makes it owner-only; its mode is left as it is, and an owner-only trail is
/// not named.
/// </summary>
public sealed class TrailFileModeTests
{
    [Fact]
    public async Task Start_DatabaseReadableByOthers_WarnsNamingItAndTheCommand_LeavesItsMode()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes only.
        }

        using var folder = new TempAuditFolder();
        await using (var first = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]))
        {
            await first.Client.CheckAsync(AuditRequests.Infant("m-1"));
            Assert.DoesNotContain(first.Logs.Entries, e => e.EventId.Id == 337);
        }

        var wide = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(folder.DatabasePath, wide);

        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]);

        var warning = Assert.Single(host.Logs.Entries, e => e.EventId.Id == 337);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains($"{folder.DatabasePath} (0644)", warning.Message, StringComparison.Ordinal);
        Assert.Contains($"run: chmod 600 '{folder.DatabasePath}'", warning.Message, StringComparison.Ordinal);
        Assert.Equal(wide, File.GetUnixFileMode(folder.DatabasePath));
    }

    [Fact]
    public async Task Start_Layout2Database_LogsOnceThatItWasBroughtToLayout3()
    {
        using var folder = new TempAuditFolder();
        await using (var first = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]))
        {
            await first.Client.CheckAsync(AuditRequests.Infant("l-1"));
            await first.SettledAsync();
            Assert.DoesNotContain(first.Logs.Entries, e => e.EventId.Id == 338);
        }

        // Back to layout 2 as it was written: no file digests, no verified points.
        using (var raw = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={folder.DatabasePath};Pooling=False"))
        {
            raw.Open();
            using var command = raw.CreateCommand();
            command.CommandText = """
                DROP TRIGGER verified_points_no_update; DROP TRIGGER verified_points_no_delete; DROP TABLE verified_points;
                ALTER TABLE revision_files DROP COLUMN sha256; PRAGMA user_version = 2;
                """;
            command.ExecuteNonQuery();
        }

        await using (var upgraded = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]))
        {
            var line = Assert.Single(upgraded.Logs.Entries, e => e.EventId.Id == 338);
            Assert.StartsWith($"The audit database {folder.DatabasePath} was brought from layout 2 to layout 3, its records unchanged", line.Message, StringComparison.Ordinal);
            await upgraded.SettledAsync();
        }

        await using var again = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]);
        Assert.DoesNotContain(again.Logs.Entries, e => e.EventId.Id == 338);
    }
}
