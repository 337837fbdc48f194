using System.Security.Cryptography;
using Grpc.Core;
using SafetyCheck.Audit.PostgreSql.Tests.Support;
using SafetyCheck.IntegrationTests.Audit;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.IntegrationTests.RuleSets;

/// <summary>
/// A restart on files a reload refused vets them again, whatever happened on the trail since: another instance's
/// reloads on a shared PostgreSQL store do not hide this instance's refusal, and a refusal of the very revision is
/// remembered after later reloads of other revisions. Files whose cases fail are then not served.
/// </summary>
public sealed class RefusalAcrossRestartTests
{
    private static readonly string PseudonymKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [PostgresFact]
    public async Task Restart_OnFilesItsOwnChainRefused_AfterAnotherInstanceServedAReload_IsVettedAndNotServed()
    {
        await using var db = await TestPostgres.CreateAsync();
        using var rulesA = new ReloadRuleSets();
        using var rulesC = new ReloadRuleSets();
        string refusedRevision;
        await using (var nodeC = await TestServerHost.StartAsync(rulesC.Directory, args: Settings(db.Service, "node-c")))
        await using (var nodeA = await TestServerHost.StartAsync(rulesA.Directory, args: Settings(db.Service, "node-a")))
        {
            nodeC.Logs.Expect("SafetyCheck");

            // node-c: a rule edited without its cases: the load passes, a case fails, the reload is refused.
            rulesC.WriteRules('B');
            var refused = (await Admin(nodeC).ReloadRulesAsync(new ReloadRulesRequest())).Reload;
            Assert.Equal(ReloadOutcome.ReloadRefused, refused.Outcome);
            refusedRevision = refused.CandidateRevision;

            // Later, node-a serves a harmless edit: the newest reload of the store is now node-a's, served.
            nodeA.Clock.Advance(TimeSpan.FromMinutes(5));
            rulesA.UseVariant('B');
            var served = (await Admin(nodeA).ReloadRulesAsync(new ReloadRulesRequest())).Reload;
            Assert.Equal(ReloadOutcome.ReloadServed, served.Outcome);
        }

        // node-c restarts on its unchanged, refused files: its own chain's latest reload refused them.
        await using var restarted = await TestServerHost.StartAsync(rulesC.Directory, waitForRules: false, args: Settings(db.Service, "node-c"));
        restarted.Logs.Expect("SafetyCheck");
        var load = await WaitForLoadAsync(restarted);
        Assert.False(load.Succeeded);
        Assert.StartsWith(
            $"the latest reload recorded in the audit trail on this instance's chain node-c ({TestServerHost.Now.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z) refused revision {refusedRevision}, and it still fails",
            load.Diagnostics[0].Message,
            StringComparison.Ordinal);
        Assert.Contains(load.Diagnostics, d => d.File == "rules.cases.json" && d.Message.Contains("case 'fever' failed", StringComparison.Ordinal));
        Assert.Null(restarted.Provider.Current);
        Assert.Equal(StatusCode.Unavailable, (await Assert.ThrowsAsync<RpcException>(() => restarted.Client.CheckAsync(ReloadRuleSets.FeverRequest()).ResponseAsync)).StatusCode);
    }

    [PostgresFact]
    public async Task Start_OnFilesAnotherInstanceRefused_IsVetted_ServedOnlyWhereTheCasesPass()
    {
        await using var db = await TestPostgres.CreateAsync();
        using var rulesA = new ReloadRuleSets();
        string refusedRevision;
        await using (var nodeA = await TestServerHost.StartAsync(rulesA.Directory, args: Settings(db.Service, "node-a")))
        {
            nodeA.Logs.Expect("SafetyCheck");
            rulesA.WriteRules('B');
            var refused = (await Admin(nodeA).ReloadRulesAsync(new ReloadRulesRequest())).Reload;
            Assert.Equal(ReloadOutcome.ReloadRefused, refused.Outcome);
            refusedRevision = refused.CandidateRevision;
        }

        // A new instance given the same files (cases failing too): vetted, not served.
        using (var failing = new ReloadRuleSets())
        {
            failing.WriteRules('B');
            await using var nodeC = await TestServerHost.StartAsync(failing.Directory, waitForRules: false, args: Settings(db.Service, "node-c"));
            nodeC.Logs.Expect("SafetyCheck");
            var load = await WaitForLoadAsync(nodeC);
            Assert.False(load.Succeeded);
            Assert.StartsWith(
                $"the latest reload of revision {refusedRevision} recorded in the audit trail (on chain node-a) refused it",
                load.Diagnostics[0].Message,
                StringComparison.Ordinal);
            Assert.Null(nodeC.Provider.Current);
        }

        // The same revision with cases that pass on it (cases are not part of the revision): vetted, served.
        using var passing = new ReloadRuleSets();
        passing.UseVariant('B');
        await using var nodeD = await TestServerHost.StartAsync(passing.Directory, args: Settings(db.Service, "node-d"));
        var answer = await nodeD.Client.CheckAsync(ReloadRuleSets.FeverRequest());
        Assert.Equal((ReloadRuleSets.FeverVerdict('B'), refusedRevision), (answer.Suitability, answer.Ruleset.Revision));
        Assert.Contains(nodeD.Logs.Entries, e => e.Message.Contains("was vetted again and passes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restart_OnFilesRefusedBeforeALaterReloadOfOtherFiles_IsVettedAndNotServed()
    {
        using var rules = new ReloadRuleSets();
        using var folder = new TempAuditFolder();
        string[] args = [folder.HostArgument];
        string refusedRevision;
        await using (var host = await TestServerHost.StartAsync(rules.Directory, args: args))
        {
            host.Logs.Expect("SafetyCheck");
            rules.WriteRules('B');
            var refused = (await Admin(host).ReloadRulesAsync(new ReloadRulesRequest())).Reload;
            Assert.Equal(ReloadOutcome.ReloadRefused, refused.Outcome);
            refusedRevision = refused.CandidateRevision;

            // The files put back: a later reload finds the revision serving (unchanged), the latest reload recorded.
            rules.UseVariant('A');
            Assert.Equal(ReloadOutcome.ReloadUnchanged, (await Admin(host).ReloadRulesAsync(new ReloadRulesRequest())).Reload.Outcome);
        }

        // The refused files written again while the service is stopped: that revision's latest reload refused it.
        rules.WriteRules('B');
        await using var restarted = await TestServerHost.StartAsync(rules.Directory, waitForRules: false, args: args);
        restarted.Logs.Expect("SafetyCheck");
        var load = await WaitForLoadAsync(restarted);
        Assert.False(load.Succeeded);
        Assert.StartsWith($"the latest reload of revision {refusedRevision} recorded in the audit trail refused it (", load.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Contains(load.Diagnostics, d => d.Message.Contains("case 'fever' failed", StringComparison.Ordinal));
        Assert.Null(restarted.Provider.Current);
    }

    private static string[] Settings(string connectionString, string instance) =>
    [
        "--SafetyCheck:Audit:Provider=PostgreSql",
        $"--SafetyCheck:Audit:ConnectionString={connectionString}",
        $"--SafetyCheck:Audit:InstanceId={instance}",
        $"--SafetyCheck:Audit:PseudonymKey={PseudonymKey}",
    ];

    private static RuleAdmin.RuleAdminClient Admin(TestServerHost host) => new(host.CreateChannel(TestCredentials.RulesAdminKey));

    private static async Task<SafetyCheck.Core.Rules.RuleSetLoadResult> WaitForLoadAsync(TestServerHost host)
    {
        for (var i = 0; i < 300 && host.Provider.LastLoad is null; i++)
        {
            await Task.Delay(100);
        }

        return host.Provider.LastLoad ?? throw new TimeoutException("the rule set did not load within 30 s");
    }
}
