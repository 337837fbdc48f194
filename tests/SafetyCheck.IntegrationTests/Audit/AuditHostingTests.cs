using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using SafetyCheck.Audit;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Verification;
using SafetyCheck.IntegrationTests.Infrastructure;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary>The audit store's part in the host's life: opened at start, archived before SERVING, reported by health.</summary>
public sealed class AuditHostingTests
{
    [Fact]
    public async Task Health_Serving_OnlyOnceTheRevisionIsArchived()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, loadRules: false);
        var store = host.Services.GetRequiredService<IAuditReader>();

        Assert.Equal(ServingStatus.NotServing, (await host.Health.CheckAsync(new HealthCheckRequest())).Status);
        var revision = host.Provider.Load(TestPaths.Rules).RuleSet!.Identity.Revision;

        Assert.Equal(ServingStatus.Serving, (await host.Health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.NotNull(await store.GetRevisionAsync(revision));
    }

    [Fact]
    public async Task Health_StoreFails_NotServingUntilItAcceptsWritesAgain()
    {
        using var folder = new TempAuditFolder();
        var store = FailingAuditStorage.Open(folder);
        await using var host = await store.StartHostAsync();

        store.FailWrites = true;
        await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(AuditRequests.Infant()).ResponseAsync);

        Assert.Equal(ServingStatus.NotServing, (await host.Health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(ServingStatus.NotServing, (await host.Health.CheckAsync(new HealthCheckRequest { Service = "safetycheck.v1.SafetyCheck" })).Status);

        store.FailWrites = false;
        Assert.Equal(ServingStatus.Serving, (await host.Health.CheckAsync(new HealthCheckRequest())).Status);

        // Health's probe was a real commit: the outage entry, sequence 1.
        Assert.Equal(2UL, (await host.Client.CheckAsync(AuditRequests.Infant())).Audit.Sequence);
    }

    [Fact]
    public async Task Health_StoreStopsAnsweringWhileIdle_NotServingWithoutAnyCheck_ThenServingWhenItAnswers()
    {
        using var folder = new TempAuditFolder();
        var store = FailingAuditStorage.Open(folder);
        await using var host = await store.StartHostAsync();
        var checks = host.Services.GetRequiredService<HealthCheckService>();
        var head = (await store.HeadAsync()).Size;

        // The database server goes away while nothing is written: its connection and its writes fail.
        store.FailLiveness = true;
        store.FailWrites = true;
        var withinTheInterval = (await host.Health.CheckAsync(new HealthCheckRequest())).Status;
        var roundTripsWithinTheInterval = store.LivenessChecks;
        host.Clock.Advance(TimeSpan.FromSeconds(3));
        var report = await checks.CheckHealthAsync();
        var statuses = new List<ServingStatus>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await host.Health.CheckAsync(new HealthCheckRequest())).Status);
            await Task.Delay(100);
        }

        var headWhileDown = (await store.HeadAsync()).Size;

        store.FailLiveness = false;
        store.FailWrites = false;
        var recovered = (await host.Health.CheckAsync(new HealthCheckRequest())).Status;

        Assert.Equal(ServingStatus.Serving, withinTheInterval);
        Assert.Equal(0, roundTripsWithinTheInterval);
        Assert.All(statuses, s => Assert.Equal(ServingStatus.NotServing, s));
        Assert.Equal(
            "the audit trail cannot record decisions: the audit store does not answer (checked while idle): the database server closed the connection (injected)",
            report.Entries[AuditHealthCheck.Name].Description);
        Assert.Equal(head, headWhileDown);
        Assert.Equal(1, store.LivenessChecks);
        Assert.Equal(ServingStatus.Serving, recovered);

        // Health's probe was a real commit: the outage entry, recording no refused decision; the next Check follows it.
        var outage = (await store.ReadRangeAsync(head + 1, 1).ToListAsync()).Single();
        Assert.Equal(EntryKinds.Outage, outage.Kind);
        Assert.Contains("\"failed_writes\":0,", outage.RecordJson, StringComparison.Ordinal);
        Assert.Equal((ulong)head + 2, (await host.Client.CheckAsync(AuditRequests.Infant())).Audit.Sequence);
    }

    [Fact]
    public async Task Health_Idle_StoreAnswers_ServingWithoutWritingAnEntry()
    {
        using var folder = new TempAuditFolder();
        var store = FailingAuditStorage.Open(folder);
        await using var host = await store.StartHostAsync();
        var head = (await store.HeadAsync()).Size;

        var statuses = new List<ServingStatus>();
        for (var i = 0; i < 3; i++)
        {
            host.Clock.Advance(TimeSpan.FromSeconds(3));
            statuses.Add((await host.Health.CheckAsync(new HealthCheckRequest())).Status);
        }

        Assert.All(statuses, s => Assert.Equal(ServingStatus.Serving, s));
        Assert.Equal(3, store.LivenessChecks);
        Assert.Equal(head, (await store.HeadAsync()).Size);
    }

    [Fact]
    public async Task Health_DiskFullButEmptyTransactionsCommit_StaysNotServingUntilARecordCommits()
    {
        using var folder = new TempAuditFolder();
        var store = FailingAuditStorage.Open(folder);
        await using var host = await store.StartHostAsync();

        store.FailEntriesOnly = true;
        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(AuditRequests.Infant()).ResponseAsync);
        var statuses = new List<ServingStatus>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await host.Health.CheckAsync(new HealthCheckRequest())).Status);
        }

        store.FailEntriesOnly = false;
        var recovered = (await host.Health.CheckAsync(new HealthCheckRequest())).Status;

        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.All(statuses, s => Assert.Equal(ServingStatus.NotServing, s));
        Assert.Equal(ServingStatus.Serving, recovered);
        Assert.Equal(2UL, (await host.Client.CheckAsync(AuditRequests.Infant())).Audit.Sequence);
    }

    [Fact]
    public async Task Health_RevisionCannotBeArchived_NotServingWithoutProbingIntoTheChain_ThenServing()
    {
        using var folder = new TempAuditFolder();
        var store = FailingAuditStorage.Open(folder);
        store.FailArchivesOnly = true;
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, configureServices: s => s.AddSingleton<IAuditStorage>(store));
        host.Logs.Expect("SafetyCheck.Audit", "could not be recorded");

        var statuses = new List<ServingStatus>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await host.Health.CheckAsync(new HealthCheckRequest())).Status);
        }

        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(AuditRequests.Infant()).ResponseAsync);
        var entriesWhileFailing = (await store.HeadAsync()).Size;
        store.FailArchivesOnly = false;
        var recovered = (await host.Health.CheckAsync(new HealthCheckRequest())).Status;

        Assert.All(statuses, s => Assert.Equal(ServingStatus.NotServing, s));
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal(0, entriesWhileFailing);
        Assert.Equal(ServingStatus.Serving, recovered);
    }

    [Fact]
    public async Task Check_StoreFrozen_UnavailablePastTheStallBound_HealthNotServingAtOnce_AndBackWhenItThaws()
    {
        using var folder = new TempAuditFolder();
        var store = FailingAuditStorage.Open(folder);
        await using var host = await store.StartHostAsync();
        try
        {
            store.Freeze();
            var hanging = host.Client.CheckAsync(AuditRequests.Fever("frozen")).ResponseAsync;
            await WaitUntil(() => store.FrozenWrites == 1);
            var servingWithinTheBound = (await host.Health.CheckAsync(new HealthCheckRequest())).Status;

            host.Clock.Advance(TimeSpan.FromSeconds(6));
            var error = await Assert.ThrowsAsync<RpcException>(() => hanging);
            var health = await host.Health.CheckAsync(new HealthCheckRequest());
            var next = await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(AuditRequests.Infant("next")).ResponseAsync);

            store.Thaw();
            var thawed = ServingStatus.Unknown;
            for (var i = 0; i < 100 && thawed != ServingStatus.Serving; i++)
            {
                await Task.Delay(i == 0 ? 0 : 50);
                thawed = (await host.Health.CheckAsync(new HealthCheckRequest())).Status;
            }

            Assert.Equal(ServingStatus.Serving, servingWithinTheBound);
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            Assert.Equal(ServingStatus.NotServing, health.Status);
            Assert.Equal(StatusCode.Unavailable, next.StatusCode);
            Assert.Equal(ServingStatus.Serving, thawed);
        }
        finally
        {
            store.Thaw();
        }
    }

    [Fact]
    public async Task Start_ChainEditedInTheMiddle_IsRefusedNamingTheSequence()
    {
        using var folder = new TempAuditFolder();
        await RecordFiveAsync(folder);

        AuditTampering.EditCaller(folder.DatabasePath, 3);

        var error = await Assert.ThrowsAsync<AuditStoreUnavailableException>(
            () => TestServerHost.StartAsync(TestPaths.Rules, loadRules: false, args: [folder.HostArgument]));

        Assert.Matches(@"^the audit chain does not verify \(sequence 3( \(verified before\))?: the record does not hash to its entry_hash", error.Message);
    }

    [Fact]
    public async Task Serve_ChainEditedInTheMiddle_Exits1WithOneLineNamingTheSequence_AndAppendsNothing()
    {
        using var folder = new TempAuditFolder();
        await RecordFiveAsync(folder);

        AuditTampering.EditCaller(folder.DatabasePath, 3);

        var run = await CliRun.InvokeAsync(["serve", "--rules", TestPaths.Rules, "--urls", "http://127.0.0.1:0", "--audit-db", folder.DatabasePath])
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 1, run.ToString());
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("cannot start the service: the audit chain does not verify (sequence 3", line, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Logs.Entries, e => e.Exception is not null || e.Level >= LogLevel.Error);
        await using var reader = SqliteAuditStorage.Open(folder.DatabasePath);
        Assert.Equal(5, (await reader.HeadAsync()).Size);
    }

    [Fact]
    public async Task Serve_TailTruncatedBelowTheVerifiedPoint_Exits1_LeavesTheFileAsFound_AndVerifySaysWhy()
    {
        using var folder = new TempAuditFolder();
        await RecordFiveAsync(folder);

        // A start verifies the five and records them as the verified point; then the tail is cut off.
        await using (var host = await TestServerHost.StartAsync(TestPaths.Rules, loadRules: false, args: [folder.HostArgument]))
        {
        }

        AuditTampering.Execute(folder.DatabasePath, "DELETE FROM entries WHERE sequence > 3;");
        var before = await File.ReadAllBytesAsync(folder.DatabasePath);

        var serve = await CliRun.InvokeAsync(["serve", "--rules", TestPaths.Rules, "--urls", "http://127.0.0.1:0", "--audit-db", folder.DatabasePath])
            .WaitAsync(TimeSpan.FromSeconds(60));
        var verify = await CliRun.InvokeAsync(["audit", "verify", "--audit-db", folder.DatabasePath]);

        Assert.True(serve.ExitCode == 1, serve.ToString());
        Assert.Contains("sequence 4: the log ends at 3 records but 5 were verified before: its tail was truncated", serve.Error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(folder.DatabasePath));
        Assert.True(verify.ExitCode == 2, verify.ToString());
        Assert.Contains("FAILED: sequence 4: the log ends at 3 records but 5 were verified before: its tail was truncated", verify.Output, StringComparison.Ordinal);
        Assert.Contains("first bad sequence: 4", verify.Output, StringComparison.Ordinal);
        Assert.Contains("3 records verified before it (TruncatedTail)", verify.Output, StringComparison.Ordinal);
        Assert.Contains("entries_no_delete", verify.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_DatabaseOfOtherTables_Exits1NamingTheFile_AndLeavesItAsFound()
    {
        using var folder = new TempAuditFolder();
        AuditTampering.Execute(folder.DatabasePath, "CREATE TABLE patients (name TEXT);");
        var before = await File.ReadAllBytesAsync(folder.DatabasePath);

        var run = await CliRun.InvokeAsync(["serve", "--rules", TestPaths.Rules, "--urls", "http://127.0.0.1:0", "--audit-db", folder.DatabasePath])
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 1, run.ToString());
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"cannot start the service: {folder.DatabasePath} is not an audit trail: it holds other tables (patients) and none of the trail's; it was left as it is (give --audit-db a new file, or an audit trail)", line);
        Assert.Equal(before, await File.ReadAllBytesAsync(folder.DatabasePath));
    }

    [Fact]
    public async Task Serve_DatabaseGoneButItsWalAndKeyLeft_Exits1NamingThem_AndCreatesNothing()
    {
        using var folder = new TempAuditFolder();
        await RecordFiveAsync(folder);
        File.Delete(folder.DatabasePath);
        var wal = folder.DatabasePath + "-wal";
        byte[] walBytes = [1, 2, 3, 4];
        await File.WriteAllBytesAsync(wal, walBytes);

        var run = await CliRun.InvokeAsync(["serve", "--rules", TestPaths.Rules, "--urls", "http://127.0.0.1:0", "--audit-db", folder.DatabasePath])
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 1, run.ToString());
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(
            $"cannot start the service: the audit database {folder.DatabasePath} does not exist, but files of a trail there do ({wal}, {AuditKeyFile.PathFor(folder.DatabasePath)}): restore the database to {folder.DatabasePath}, or, if a new trail is intended, move those files away; nothing was changed",
            line);
        Assert.False(File.Exists(folder.DatabasePath));
        Assert.Equal(walBytes, await File.ReadAllBytesAsync(wal));
    }

    [Fact]
    public async Task Start_NoDatabase_SaysANewEmptyTrailWasCreatedThere_AndStop_SaysTheTrailIsClosed()
    {
        using var folder = new TempAuditFolder();
        TestLogSink logs;
        await using (var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]))
        {
            logs = host.Logs;
            var created = Assert.Single(host.Logs.Entries, e => e.EventId.Id == 339);
            Assert.Equal(LogLevel.Information, created.Level);
            Assert.StartsWith($"Created a new, empty audit trail at {folder.DatabasePath}: no database was there.", created.Message, StringComparison.Ordinal);
            await host.Client.CheckAsync(AuditRequests.Fever());
        }

        var closed = Assert.Single(logs.Entries, e => e.EventId.Id == 340);
        Assert.Equal(LogLevel.Information, closed.Level);
        Assert.Matches(@"^The audit trail is closed: the queued records are committed, head at sequence [1-9][0-9]*$", closed.Message);

        await using var restarted = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]);
        Assert.DoesNotContain(restarted.Logs.Entries, e => e.EventId.Id == 339);
    }

    [Fact]
    public async Task Background_ChainEditedBeforeTheVerifiedPoint_RefusedAndNotServing()
    {
        using var folder = new TempAuditFolder();
        await RecordFiveAsync(folder);

        // A start verifies the five and records them as the verified point; then the middle is edited.
        await using (var host = await TestServerHost.StartAsync(TestPaths.Rules, loadRules: false, args: [folder.HostArgument]))
        {
        }

        AuditTampering.EditCaller(folder.DatabasePath, 2);
        await using var started = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]);
        started.Logs.Expect("SafetyCheck.Audit", "refused");
        started.Logs.Expect("SafetyCheck.Audit", "verification failed");
        var verification = started.Services.GetRequiredService<SafetyCheck.Audit.AuditChainVerification>();
        await WaitUntil(() => verification.Result is not null);

        var health = await started.Health.CheckAsync(new HealthCheckRequest());
        var error = await Assert.ThrowsAsync<RpcException>(() => started.Client.CheckAsync(AuditRequests.Infant("after")).ResponseAsync);

        Assert.Equal(2, verification.Result!.FirstBadSequence);
        Assert.Equal(ServingStatus.NotServing, health.Status);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(5, (await started.Services.GetRequiredService<IAuditReader>().HeadAsync()).Size);
    }

    [Fact]
    public async Task Start_TrailWithRecordsButNoKeyFile_NewKeyAndAWarningThatPatientsCannotBeLinked()
    {
        using var folder = new TempAuditFolder();
        await RecordFiveAsync(folder);
        File.Delete(AuditKeyFile.PathFor(folder.DatabasePath));

        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, loadRules: false, args: [folder.HostArgument]);
        host.Logs.Expect("SafetyCheck.Audit", "was missing");

        var warning = Assert.Single(host.Logs.Entries, e => e.Message.Contains("was missing, so a new key", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("already holds 5 records", warning.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(AuditKeyFile.PathFor(folder.DatabasePath)));

        // Warning 322 says the key changed: not also 323.
        Assert.DoesNotContain(host.Logs.Entries, e => e.EventId.Id == 323);
    }

    [Fact]
    public async Task Start_ConfiguredKeyChangedOnTheSameDatabase_WarnsThatPatientsCannotBeLinked_AndVerifyNotesTheChange()
    {
        using var folder = new TempAuditFolder();
        var firstKey = Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray());
        var secondKey = Convert.ToBase64String(Enumerable.Repeat((byte)2, 32).ToArray());
        var firstKeyId = Pseudonymiser.DeriveKeyId(Convert.FromBase64String(firstKey));
        var secondKeyId = Pseudonymiser.DeriveKeyId(Convert.FromBase64String(secondKey));
        var sameKeyWarnings = new List<string>();
        await using (var host = await StartWithKeyAsync(folder, firstKey))
        {
            sameKeyWarnings.AddRange(KeyWarnings(host));
            await host.Client.CheckAsync(AuditRequests.Infant("before-1"));
            await host.Client.CheckAsync(AuditRequests.Infant("before-2"));
        }

        await using (var host = await StartWithKeyAsync(folder, firstKey))
        {
            sameKeyWarnings.AddRange(KeyWarnings(host));
        }

        string changedWarning;
        await using (var host = await StartWithKeyAsync(folder, secondKey))
        {
            changedWarning = Assert.Single(KeyWarnings(host));
            Assert.DoesNotContain(host.Logs.Entries, e => e.EventId.Id == 322);
            await host.Client.CheckAsync(AuditRequests.Infant("after"));
        }

        // Once this key has recorded a patient, a start with it is not warned again.
        await using (var host = await StartWithKeyAsync(folder, secondKey))
        {
            sameKeyWarnings.AddRange(KeyWarnings(host));
        }

        var verify = await CliRun.InvokeAsync(["audit", "verify", "--audit-db", folder.DatabasePath]);

        Assert.Empty(sameKeyWarnings);
        Assert.StartsWith($"Decisions before this start were recorded under pseudonym key {firstKeyId} (the latest that names a patient: sequence ", changedWarning, StringComparison.Ordinal);
        Assert.Contains($"and this run records under {secondKeyId}: the same patient recorded before and after this start cannot be linked", changedWarning, StringComparison.Ordinal);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("note: the chain's decisions changed pseudonym key after sequence ", verify.Output, StringComparison.Ordinal);
        Assert.Contains($": {firstKeyId} up to it (", verify.Output, StringComparison.Ordinal);
        Assert.Contains($"), {secondKeyId} in its latest decision that names a patient (sequence ", verify.Output, StringComparison.Ordinal);

        static Task<TestServerHost> StartWithKeyAsync(TempAuditFolder folder, string key) =>
            TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument, $"--SafetyCheck:Audit:PseudonymKey={key}"]);

        static List<string> KeyWarnings(TestServerHost host) =>
            [.. host.Logs.Entries.Where(e => e.EventId.Id == 323).Select(e => e.Message)];
    }

    [Fact]
    public async Task Start_FirstRunOrKeptKeyFile_NoWarning()
    {
        using var folder = new TempAuditFolder();
        await RecordFiveAsync(folder);

        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, loadRules: false, args: [folder.HostArgument]);

        Assert.DoesNotContain(host.Logs.Entries, e => e.Message.Contains("was missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_KeyFileBesideTheDatabase_WarnsOnce_AndAConfiguredKeyDoesNot()
    {
        using var folder = new TempAuditFolder();
        var key = Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray());

        await using (var host = await TestServerHost.StartAsync(TestPaths.Rules, loadRules: false, args: [folder.HostArgument]))
        {
            var note = Assert.Single(host.Logs.Entries, e => e.EventId.Id == 325);
            Assert.Equal(LogLevel.Warning, note.Level);
            Assert.StartsWith($"The pseudonym key is the file {AuditKeyFile.PathFor(folder.DatabasePath)}, beside the audit database", note.Message, StringComparison.Ordinal);
            Assert.Contains("set SafetyCheck:Audit:PseudonymKey from a secret store", note.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(host.Logs.Entries, e => e.EventId.Id == 326);
        }

        await using (var host = await TestServerHost.StartAsync(TestPaths.Rules, loadRules: false, args: [folder.HostArgument, $"--SafetyCheck:Audit:PseudonymKey={key}"]))
        {
            Assert.DoesNotContain(host.Logs.Entries, e => e.EventId.Id is 325 or 326);
        }
    }

    [Fact]
    public async Task Start_KeyFileReadableByOthers_IsNarrowedToItsOwner_WithAWarning()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes only.
        }

        using var folder = new TempAuditFolder();
        await RecordFiveAsync(folder);
        var keyFile = AuditKeyFile.PathFor(folder.DatabasePath);
        var key = await File.ReadAllTextAsync(keyFile);
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, loadRules: false, args: [folder.HostArgument]);

        var warning = Assert.Single(host.Logs.Entries, e => e.EventId.Id == 326);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("(mode 0644): it is now owner-only (0600)", warning.Message, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Equal(key, await File.ReadAllTextAsync(keyFile));
        Assert.DoesNotContain(host.Logs.Entries, e => e.EventId.Id is 322 or 323);
    }

    /// <summary>Five decisions recorded in <paramref name="folder"/>'s database by a host that then stops.</summary>
    private static async Task RecordFiveAsync(TempAuditFolder folder)
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]);
        for (var i = 0; i < 5; i++)
        {
            await host.Client.CheckAsync(AuditRequests.Infant($"r{i}"));
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    [Fact]
    public async Task Health_WriterStopped_NotServing()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);
        Assert.Equal(ServingStatus.Serving, (await host.Health.CheckAsync(new HealthCheckRequest())).Status);
        host.Logs.Expect("SafetyCheck.Audit");

        await host.Services.GetRequiredService<AuditChainWriter>().DisposeAsync();
        await Assert.ThrowsAsync<RpcException>(() => host.Client.CheckAsync(AuditRequests.Infant()).ResponseAsync);

        Assert.Equal(ServingStatus.NotServing, (await host.Health.CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task Start_DatabaseHeldByAnotherHost_Refused()
    {
        using var folder = new TempAuditFolder();
        await using var first = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]);

        var error = await Assert.ThrowsAsync<AuditStoreUnavailableException>(
            () => TestServerHost.StartAsync(TestPaths.Rules, loadRules: false, args: [folder.HostArgument]));

        Assert.Contains("in use by another process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_DatabaseHeldByAnotherServe_Exits1WithTheReason()
    {
        using var folder = new TempAuditFolder();
        await using var first = await TestServerHost.StartAsync(TestPaths.Rules, loadRules: false, args: [folder.HostArgument]);

        var run = await CliRun.InvokeAsync(["serve", "--rules", TestPaths.Rules, "--urls", "http://127.0.0.1:0", "--audit-db", folder.DatabasePath])
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"cannot start the service: the audit database {folder.DatabasePath} is in use by another process", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_QueuedRecordsAreCommitted_AndTheNextHostContinuesTheChain()
    {
        using var folder = new TempAuditFolder();
        ulong last;
        await using (var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]))
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => host.Client.CheckAsync(AuditRequests.Infant($"r{i}")).ResponseAsync));
            last = responses.Max(r => r.Audit.Sequence);
        }

        await using (var host = await TestServerHost.StartAsync(TestPaths.Rules, args: [folder.HostArgument]))
        {
            var next = await host.Client.CheckAsync(AuditRequests.Fever());
            Assert.Equal(last + 1, next.Audit.Sequence);
            Assert.True((await AuditVerifier.VerifyAsync(host.Services.GetRequiredService<IAuditReader>())).IsValid);
        }
    }

    [Fact]
    public async Task Start_BadConfiguredPseudonymKey_RefusedWithoutShowingTheKey()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => TestServerHost.StartAsync(TestPaths.Rules, loadRules: false, args: ["--SafetyCheck:Audit:PseudonymKey=c2hvcnQ="]));

        Assert.Contains("SafetyCheck:Audit:PseudonymKey must be base64 of at least 16 bytes", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2hvcnQ=", error.Message, StringComparison.Ordinal);
    }
}
