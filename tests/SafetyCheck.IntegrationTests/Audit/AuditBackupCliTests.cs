using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Check;
using SafetyCheck.Core.Evaluation;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Rules;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary><c>audit backup</c> in-process, on copies of a trail the real host wrote.</summary>
public sealed class AuditBackupCliTests(RecordedTrailFixture trail) : IClassFixture<RecordedTrailFixture>
{
    [Fact]
    public async Task Backup_IntactTrail_WritesOneFileThatVerifiesWithTheSameHead()
    {
        using var copy = trail.Copy();
        using var backups = new TempAuditFolder();
        var output = backups.File("audit-backup.db");
        var head = trail.Responses[^1].Audit.EntryHash;

        var run = await Backup(copy, output);
        var verify = await CliRun.InvokeAsync(["audit", "verify", "--audit-db", output]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"ok: backed up 8 records (head {head}) and 1 archived revision to {output}; the copy verifies", lines[0]);
        Assert.Equal($"the pseudonym key {copy.DatabasePath}.key is not in the copy: keep it apart from the backup", lines[1]);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.StartsWith($"ok: 8 records verify; head {head}", verify.Output, StringComparison.Ordinal);

        // One file: no temporary, no -wal or -journal beside it, and no key.
        Assert.Equal([output], Directory.GetFiles(backups.Path));
    }

    [Fact]
    public async Task Backup_Copy_IsOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var copy = trail.Copy();
        using var backups = new TempAuditFolder();
        var output = backups.File("audit-backup.db");

        var run = await Backup(copy, output);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(output));
    }

    [Fact]
    public async Task Backup_ExistingOutput_Exits2NamingIt_AndLeavesItAsItIs()
    {
        using var copy = trail.Copy();
        using var backups = new TempAuditFolder();
        var output = backups.File("audit-backup.db");
        await File.WriteAllTextAsync(output, "yesterday's backup\n");

        var run = await Backup(copy, output);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Output);
        Assert.Contains($"--output: {output} exists; a backup never replaces a file", run.Error, StringComparison.Ordinal);
        Assert.Equal("yesterday's backup\n", await File.ReadAllTextAsync(output));
        Assert.Equal([output], Directory.GetFiles(backups.Path));
    }

    [Theory]
    [InlineData(null, "--output: required")]
    [InlineData("", "--output: the value is empty")]
    [InlineData("missing-folder/audit-backup.db", "--output: the folder ")]
    public async Task Backup_BadOutput_Exits2NamingTheOption_AndWritesNothing(string? output, string message)
    {
        using var copy = trail.Copy();
        using var backups = new TempAuditFolder();
        var before = Directory.GetFiles(copy.Path).Order(StringComparer.Ordinal).ToList();
        string[] option = output is null ? [] : ["--output", output.Length == 0 ? "" : backups.File(output)];

        var run = await CliRun.InvokeAsync(["audit", "backup", .. option, "--audit-db", copy.DatabasePath]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Output);
        Assert.StartsWith(message, run.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(backups.Path));
        Assert.Equal(before, Directory.GetFiles(copy.Path).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task Backup_NoDatabase_Exits1_AndWritesNothing()
    {
        using var folder = new TempAuditFolder();
        using var backups = new TempAuditFolder();

        var run = await Backup(folder, backups.File("audit-backup.db"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"there is no audit database at {folder.DatabasePath}", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.DatabasePath));
        Assert.Empty(Directory.GetFileSystemEntries(backups.Path));
    }

    [Fact]
    public async Task Backup_TamperedSource_Exits2SayingSo_AndKeepsTheCopy()
    {
        using var copy = trail.Copy();
        using var backups = new TempAuditFolder();
        var output = backups.File("audit-backup.db");
        AuditTampering.EditCaller(copy.DatabasePath, 4);

        var run = await Backup(copy, output);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith($"FAILED: the copy {output} does not verify: sequence 4: the record does not hash to its entry_hash", run.Output, StringComparison.Ordinal);
        Assert.Contains("first bad sequence: 4", run.Output, StringComparison.Ordinal);
        Assert.Contains("the copy is kept", run.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public async Task Backup_WhileAWriterAppends_CopyVerifiesAndHoldsAPrefixOfTheChain()
    {
        using var copy = trail.Copy();
        using var backups = new TempAuditFolder();
        var output = backups.File("audit-backup.db");
        var ruleSet = RuleSetLoader.Load(TestPaths.Rules).RuleSet!;
        var checker = new SafetyChecker(ruleSet, TimeProvider.System);
        var ids = new UuidV7DecisionIdSource(TimeProvider.System);
        var pseudonymiser = new Pseudonymiser(new byte[32], "backup-test");
        var receipts = new List<AuditReceipt>();
        CliRun run;
        await using (var storage = SqliteAuditStorage.Open(copy.DatabasePath))
        await using (var writer = await AuditChainWriter.StartAsync(storage))
        {
            await writer.ArchiveRevisionAsync(ruleSet);
            using var stop = new CancellationTokenSource();
            var appended = Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var assessment = checker.Check(ProtoMapper.ToUnvalidated(AuditRequests.Infant($"backup-{i}"))).Assessment!;
                    var receipt = await writer.AppendAsync(DecisionRecordFactory.Create(assessment, ids.Next(), "appender", TestServerHost.Now, pseudonymiser));
                    lock (receipts)
                    {
                        receipts.Add(receipt);
                    }
                }
            });
            await WaitForAsync(() => Count(receipts) >= 20);

            run = await Backup(copy, output);
            var atEnd = Count(receipts);
            await WaitForAsync(() => Count(receipts) >= atEnd + 20);
            await stop.CancelAsync();
            await appended;
        }

        Assert.True(run.ExitCode == 0, run.ToString());
        var backedUp = await new SqliteAuditReader(output).HeadAsync();
        var verify = await CliRun.InvokeAsync(["audit", "verify", "--audit-db", output]);
        Assert.True(verify.ExitCode == 0, verify.ToString());

        // A prefix of the chain the writer kept appending to: its head is the receipt the writer gave at that sequence.
        Assert.InRange(backedUp.Size, 8 + 20, 8 + receipts.Count - 20);
        Assert.Equal(receipts.Single(r => (long)r.Sequence == backedUp.Size).EntryHash, backedUp.HeadHash);
        Assert.StartsWith($"ok: backed up {backedUp.Size} records (head {backedUp.HeadHash})", run.Output, StringComparison.Ordinal);
        Assert.StartsWith($"ok: {backedUp.Size} records verify; head {backedUp.HeadHash}", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_SaysWhatItCopiesAndItsExitCodes()
    {
        var run = await CliRun.InvokeAsync(["audit", "backup", "--help"]);
        var group = await CliRun.InvokeAsync(["audit", "--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("safetycheck audit backup --output", run.Output, StringComparison.Ordinal);
        Assert.Contains("Exit codes:", run.Output, StringComparison.Ordinal);
        Assert.Contains("--audit-db", run.Output, StringComparison.Ordinal);
        Assert.Contains("never copied", run.Output, StringComparison.Ordinal);
        Assert.Contains("backup", group.Output, StringComparison.Ordinal);
    }

    private static int Count(List<AuditReceipt> receipts)
    {
        lock (receipts)
        {
            return receipts.Count;
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(1), "the writer did not append in time");
            await Task.Delay(10);
        }
    }

    private static Task<CliRun> Backup(TempAuditFolder folder, string output) =>
        CliRun.InvokeAsync(["audit", "backup", "--output", output, "--audit-db", folder.DatabasePath]);
}
