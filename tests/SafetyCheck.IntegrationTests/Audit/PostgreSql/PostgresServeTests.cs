using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using SafetyCheck.Audit.PostgreSql;
using SafetyCheck.Audit.PostgreSql.Tests.Support;
using SafetyCheck.Audit.Pseudonyms;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Verification;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheckApi = SafetyCheck.Protos.V1.SafetyCheck;

namespace SafetyCheck.IntegrationTests.Audit.PostgreSql;

/// <summary>
/// The service on a PostgreSQL audit store, on a real server: several instances on one database, an instance killed
/// under load, the database server stopped and started under load. Whatever was answered with a receipt must be in the
/// database where the receipt says, and every chain must verify.
/// </summary>
public sealed class PostgresServeTests
{
    private static readonly string PseudonymKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [PostgresFact]
    public async Task TwoServeInstances_OneKilledMidLoad_EveryAnsweredDecisionRecorded_EveryChainVerifies_KilledOneContinuesItsChain()
    {
        await using var db = await TestPostgres.CreateAsync();
        var work = TestPaths.EmptyDirectory();
        var answered = new ConcurrentBag<Answer>();
        await using (var a = await ServeProcess.StartAsync(Settings(db.Service, "node-a"), work))
        await using (var b = await ServeProcess.StartAsync(Settings(db.Service, "node-b"), work))
        {
            using var stop = new CancellationTokenSource();
            var loops = Enumerable.Range(0, 12).Select(i => LoadAsync(i % 2 == 0 ? a.Address : b.Address, i % 2 == 0 ? "node-a" : "node-b", answered, stop.Token)).ToArray();
            // Counts waited for, not times: a loaded machine answers slowly.
            int Answers(string node) => answered.Count(x => x.Node == node);
            Assert.True(await WaitForAsync(() => Answers("node-a") > 20 && Answers("node-b") > 20), "too few answers before the kill to mean anything");
            await a.KillAsync();
            var beforeKill = Answers("node-b");
            Assert.True(await WaitForAsync(() => Answers("node-b") > beforeKill + 20), "node-b stopped with node-a");
            await stop.CancelAsync();
            var failures = (await Task.WhenAll(loops)).SelectMany(f => f).ToArray();

            // Only the killed instance's callers saw failures, and only those of a connection that went away.
            Assert.All(failures, f => Assert.Equal("node-a", f.Node));
            Assert.All(failures, f => Assert.Contains(f.Status, new[] { StatusCode.Unavailable, StatusCode.Internal }));
        }

        // The killed instance comes back on its chain and continues it after its last committed record.
        await using (var again = await ServeProcess.StartAsync(Settings(db.Service, "node-a"), work))
        {
            using var stop = new CancellationTokenSource();
            stop.CancelAfter(300);
            await LoadAsync(again.Address, "node-a", answered, stop.Token);
        }

        await using var reader = await PostgresAuditReader.OpenAsync(db.Auditor);
        foreach (var answer in answered)
        {
            var row = await reader.GetAsync(answer.DecisionId);
            Assert.True(row is not null, $"decision {answer.DecisionId} answered by {answer.Node} is not in the database");
            Assert.Equal((answer.Node, (long)answer.Sequence, answer.EntryHash), (row.Chain, row.Sequence, row.EntryHash));
        }

        var reports = await ChainSetVerifier.VerifyAsync(reader, [], null);
        Assert.Equal(["node-a", "node-b"], reports.Select(r => r.Chain));
        Assert.All(reports, r => Assert.True(r.Report.IsValid, r.Report.Message));

        // The auditor's command line says the same, reading the same settings as serve.
        var verify = await RunCliAsync(Settings(db.Auditor, "auditor"), work, "audit", "verify");
        Assert.True(verify.Exit == 0, verify.Output);
        Assert.Contains("ok: chain node-a: ", verify.Output, StringComparison.Ordinal);
        Assert.Contains("ok: chain node-b: ", verify.Output, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task DatabaseServerStoppedAndStartedUnderLoad_UnavailableAndNotServing_ThenRecoversByItself_NothingAnsweredLost()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        await using var db = await TestPostgres.CreateAsync(superuser: cluster.ConnectionString);
        var work = TestPaths.EmptyDirectory();
        await using var serve = await ServeProcess.StartAsync(Settings(db.Service, "node-r"), work);
        using var healthChannel = GrpcChannel.ForAddress(serve.Address);
        var health = new Health.HealthClient(healthChannel);
        var answered = new ConcurrentBag<Answer>();
        var refused = new ConcurrentBag<StatusCode>();
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, 4).Select(_ => LoadThroughOutageAsync(serve.Address, answered, refused, stop.Token)).ToArray();

        // Enough answers before the outage to mean anything: waited for, not timed, as a loaded machine answers slowly.
        Assert.True(await WaitForAsync(() => answered.Count > 20), "too few answers before the outage to mean anything");
        await cluster.ControlAsync("stop");
        Assert.True(await WaitForAsync(() => !refused.IsEmpty), "no call was refused while the database was down");
        Assert.True(await WaitForAsync(async () => await StatusAsync(health) == HealthCheckResponse.Types.ServingStatus.NotServing), "health did not report NOT_SERVING");
        var duringOutage = answered.Count;
        await Task.Delay(500);
        Assert.Equal(duringOutage, answered.Count);

        await cluster.ControlAsync("start");
        Assert.True(await WaitForAsync(async () => await StatusAsync(health) == HealthCheckResponse.Types.ServingStatus.Serving), "health did not recover");
        Assert.True(await WaitForAsync(() => answered.Count > duringOutage + 20), "Check did not recover");
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        Assert.All(refused, s => Assert.Equal(StatusCode.Unavailable, s));
        await using var reader = await PostgresAuditReader.OpenAsync(db.Auditor);
        foreach (var answer in answered)
        {
            var row = await reader.GetAsync(answer.DecisionId);
            Assert.True(row is not null, $"decision {answer.DecisionId} was answered but is not in the database");
            Assert.Equal(((long)answer.Sequence, answer.EntryHash), (row.Sequence, row.EntryHash));
        }

        var report = await AuditVerifier.VerifyAsync(reader.Chain("node-r"));
        Assert.True(report.IsValid, report.Message);
    }

    [PostgresFact]
    public async Task DatabaseServerStoppedWhileIdle_NotServingWithoutAnyCheck_ThenServingWhenItIsBack()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        await using var db = await TestPostgres.CreateAsync(superuser: cluster.ConnectionString);
        var work = TestPaths.EmptyDirectory();
        await using var serve = await ServeProcess.StartAsync(Settings(db.Service, "node-i"), work);
        using var healthChannel = GrpcChannel.ForAddress(serve.Address);
        var health = new Health.HealthClient(healthChannel);

        // No Check is ever made: only health calls, as a load balancer's probe makes them.
        await cluster.ControlAsync("stop");
        var stopped = Stopwatch.StartNew();
        Assert.True(await WaitForAsync(async () => await StatusAsync(health) == HealthCheckResponse.Types.ServingStatus.NotServing), "health did not report NOT_SERVING while the database was down");
        var noticedAfter = stopped.Elapsed;
        await Task.Delay(1000);
        var stillDown = await StatusAsync(health);

        await cluster.ControlAsync("start");
        Assert.True(await WaitForAsync(async () => await StatusAsync(health) == HealthCheckResponse.Types.ServingStatus.Serving), "health did not recover");

        // The liveness bound (2 s), the shared health run (0.5 s) and the probe wait (1 s), with room for a loaded machine.
        Assert.True(noticedAfter < TimeSpan.FromSeconds(10), $"NOT_SERVING only {noticedAfter.TotalSeconds:0.0} s after the server stopped");
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, stillDown);

        // The outage is recorded by the probe that ended it, refusing no decision; the chain verifies.
        await using var reader = await PostgresAuditReader.OpenAsync(db.Auditor);
        var entries = (await reader.ListAsync(new EntryFilter { Kind = null, PageSize = 100 })).Items;
        var outage = Assert.Single(entries);
        Assert.Equal(("node-i", EntryKinds.Outage), (outage.Chain, outage.Kind));
        Assert.Contains("\"failed_writes\":0,", outage.RecordJson, StringComparison.Ordinal);
        var report = await AuditVerifier.VerifyAsync(reader.Chain("node-i"));
        Assert.True(report.IsValid, report.Message);
    }

    [PostgresFact]
    public async Task AuditService_OnAPostgresStore_NamesTheChain_AndVerifiesEveryChain()
    {
        await using var db = await TestPostgres.CreateAsync();
        await using var host = await KestrelTestHost.StartAsync([
            .. TestCredentials.ApiKeyArguments,
            .. Settings(db.Service, "node-g").Select(kv => $"--{kv.Key.Replace("__", ":", StringComparison.Ordinal)}={kv.Value}")]);
        using var channel = host.CreateChannel(TestCredentials.AllRolesKey);
        var checks = new SafetyCheckApi.SafetyCheckClient(channel);
        var audit = new SafetyCheck.Protos.V1.Audit.AuditClient(channel);
        var first = await checks.CheckAsync(SampleRequests.Infant("one"));
        await checks.CheckAsync(SampleRequests.Infant("two"));

        var entry = await audit.GetDecisionAsync(new SafetyCheck.Protos.V1.GetDecisionRequest { DecisionId = first.DecisionId });
        var listed = await audit.ListDecisionsAsync(new SafetyCheck.Protos.V1.ListDecisionsRequest { PageSize = 1 });
        var verified = await audit.VerifyLogAsync(new SafetyCheck.Protos.V1.VerifyLogRequest());

        Assert.Equal(("node-g", first.Audit.Sequence, first.Audit.EntryHash), (entry.Chain, entry.Sequence, entry.EntryHash));
        Assert.Equal("node-g", Assert.Single(listed.Decisions).Chain);
        Assert.NotEmpty(listed.NextPageToken);
        Assert.True(verified.Ok, verified.Message);
        Assert.Equal(2UL, verified.EntriesChecked);
        Assert.StartsWith("chain node-g: 2 records verify", verified.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Start_WithAnotherPseudonymKeyThanTheChainsInUse_WarnsNamingThemAndTheirKeys_AndVerifyNotesTheMix()
    {
        await using var db = await TestPostgres.CreateAsync();
        var otherKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var keyId = Pseudonymiser.DeriveKeyId(Convert.FromBase64String(PseudonymKey));
        var otherKeyId = Pseudonymiser.DeriveKeyId(Convert.FromBase64String(otherKey));
        var sameKeyWarnings = new List<string>();
        foreach (var node in (string[])["node-a", "node-b"])
        {
            await using var host = await StartInProcessAsync(db.Service, node, PseudonymKey);
            sameKeyWarnings.AddRange(KeyWarnings(host));
            await CheckOnceAsync(host);
        }

        string otherWarning;
        await using (var odd = await StartInProcessAsync(db.Service, "node-d", otherKey))
        {
            otherWarning = Assert.Single(KeyWarnings(odd));
            await CheckOnceAsync(odd);
        }

        // The instances with the shared key are told too when they start again, and only of the chain that differs.
        string againWarning;
        await using (var again = await StartInProcessAsync(db.Service, "node-a", PseudonymKey))
        {
            againWarning = Assert.Single(KeyWarnings(again));
        }

        var verify = await RunCliAsync(Settings(db.Auditor, "auditor"), TestPaths.EmptyDirectory(), "audit", "verify");

        Assert.Empty(sameKeyWarnings);
        Assert.StartsWith($"This instance pseudonymises patients with key {otherKeyId}, but the latest decisions of chains in use in this audit store carry other keys: node-a: {keyId} (sequence ", otherWarning, StringComparison.Ordinal);
        Assert.Contains($", node-b: {keyId} (sequence ", otherWarning, StringComparison.Ordinal);
        Assert.Contains("The same patient recorded under different keys cannot be linked", otherWarning, StringComparison.Ordinal);
        Assert.StartsWith($"This instance pseudonymises patients with key {keyId}, but the latest decisions of chains in use in this audit store carry other keys: node-d: {otherKeyId} (sequence ", againWarning, StringComparison.Ordinal);
        Assert.DoesNotContain("node-b", againWarning, StringComparison.Ordinal);
        Assert.True(verify.Exit == 0, verify.Output);
        Assert.Contains(
            $"note: the chains' latest decisions carry 2 pseudonym keys: {keyId} (node-a, node-b); {otherKeyId} (node-d); a patient recorded under one key cannot be linked with the same patient under another",
            verify.Output,
            StringComparison.Ordinal);
    }

    private static Task<KestrelTestHost> StartInProcessAsync(string connectionString, string instance, string pseudonymKey)
    {
        var settings = Settings(connectionString, instance);
        settings["SafetyCheck__Audit__PseudonymKey"] = pseudonymKey;
        return KestrelTestHost.StartAsync([
            .. TestCredentials.ApiKeyArguments,
            .. settings.Select(kv => $"--{kv.Key.Replace("__", ":", StringComparison.Ordinal)}={kv.Value}")]);
    }

    private static async Task CheckOnceAsync(KestrelTestHost host)
    {
        using var channel = host.CreateChannel(TestCredentials.AllRolesKey);
        var response = await new SafetyCheckApi.SafetyCheckClient(channel).CheckAsync(AuditRequests.Infant());
        Assert.NotEmpty(response.DecisionId);
    }

    private static List<string> KeyWarnings(KestrelTestHost host) =>
        [.. host.Logs.Entries.Where(e => e.EventId.Id == 334 && e.Category.StartsWith("SafetyCheck.Audit", StringComparison.Ordinal)).Select(e => e.Message)];

    private static Dictionary<string, string> Settings(string connectionString, string instance) => new()
    {
        ["SafetyCheck__Audit__Provider"] = "PostgreSql",
        ["SafetyCheck__Audit__ConnectionString"] = connectionString,
        ["SafetyCheck__Audit__InstanceId"] = instance,
        ["SafetyCheck__Audit__PseudonymKey"] = PseudonymKey,

        // The load loops are one caller; the per-caller rate, not under test here, must not refuse them on a fast machine.
        ["SafetyCheck__Limits__CallsPerSecondPerCaller"] = "0",
    };

    /// <summary>Calls Check until stopped or until a call fails (the instance is gone); returns the failures.</summary>
    private static async Task<List<(string Node, StatusCode Status)>> LoadAsync(string address, string node, ConcurrentBag<Answer> answered, CancellationToken stop)
    {
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = new BearerTokenHandler(TestCredentials.ClinicalAppKey, new SocketsHttpHandler()) });
        var client = new SafetyCheckApi.SafetyCheckClient(channel);
        var failures = new List<(string, StatusCode)>();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var response = await client.CheckAsync(SampleRequests.Infant(), cancellationToken: CancellationToken.None);
                answered.Add(new Answer(node, response.DecisionId, response.Audit.Sequence, response.Audit.EntryHash));
            }
            catch (RpcException e)
            {
                failures.Add((node, e.StatusCode));
                break;
            }
        }

        return failures;
    }

    /// <summary>Calls Check until stopped, through failures: answers with their receipts, refusals by status.</summary>
    private static async Task LoadThroughOutageAsync(string address, ConcurrentBag<Answer> answered, ConcurrentBag<StatusCode> refused, CancellationToken stop)
    {
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = new BearerTokenHandler(TestCredentials.ClinicalAppKey, new SocketsHttpHandler()) });
        var client = new SafetyCheckApi.SafetyCheckClient(channel);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var response = await client.CheckAsync(SampleRequests.Infant(), cancellationToken: CancellationToken.None);
                answered.Add(new Answer("node-r", response.DecisionId, response.Audit.Sequence, response.Audit.EntryHash));
            }
            catch (RpcException e)
            {
                refused.Add(e.StatusCode);
                await Task.Delay(20, CancellationToken.None);
            }
        }
    }

    private static async Task<HealthCheckResponse.Types.ServingStatus?> StatusAsync(Health.HealthClient health)
    {
        try
        {
            return (await health.CheckAsync(new HealthCheckRequest())).Status;
        }
        catch (RpcException)
        {
            return null;
        }
    }

    private static Task<bool> WaitForAsync(Func<bool> condition) => WaitForAsync(() => Task.FromResult(condition()));

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    private static async Task<(int Exit, string Output)> RunCliAsync(Dictionary<string, string> environment, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "safetycheck.dll"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private sealed record Answer(string Node, string DecisionId, ulong Sequence, string EntryHash);
}
