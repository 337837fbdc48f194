using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Verification;
using SafetyCheck.Audit.Sqlite;
using SafetyCheck.IntegrationTests.Audit;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.IntegrationTests.RuleSets;

public sealed class HotReloadTests
{
    [Fact]
    public async Task ReloadRules_PassingEdit_ServesTheNewRevisionAndRecordsTheReload()
    {
        using var rules = new ReloadRuleSets();
        await using var host = await TestServerHost.StartAsync(rules.Directory);
        var before = await host.Client.CheckAsync(ReloadRuleSets.FeverRequest());
        Assert.Equal(ReloadRuleSets.FeverVerdict('A'), before.Suitability);

        rules.UseVariant('B');
        var reload = (await Admin(host, TestCredentials.RulesAdminKey).ReloadRulesAsync(new ReloadRulesRequest())).Reload;

        Assert.Equal(ReloadOutcome.ReloadServed, reload.Outcome);
        Assert.Equal(ReloadTrigger.ReloadCaller, reload.Trigger);
        Assert.Equal(before.Ruleset.Revision, reload.PreviousRevision);
        Assert.Equal(reload.CandidateRevision, reload.Serving.Revision);
        Assert.NotEqual(before.Ruleset.Revision, reload.Serving.Revision);
        Assert.Equal(2, reload.CasesRun);
        Assert.Empty(reload.Diagnostics);
        Assert.NotNull(reload.Audit);

        var after = await host.Client.CheckAsync(ReloadRuleSets.FeverRequest());
        Assert.Equal(ReloadRuleSets.FeverVerdict('B'), after.Suitability);
        Assert.Equal(reload.Serving.Revision, after.Ruleset.Revision);
        var ruleset = await host.Client.GetRulesetAsync(new GetRulesetRequest());
        Assert.Equal(reload.Serving.Revision, ruleset.Ref.Revision);
        Assert.False(ruleset.NewerRevisionRefused);
        Assert.Equal(ReloadOutcome.ReloadServed, ruleset.LastReload.Outcome);

        // The reload is its own entry, naming the revision it served (archived, so the decisions after it replay).
        var reader = host.Services.GetRequiredService<IAuditReader>();
        var entry = Assert.Single((await reader.ListAsync(new EntryFilter { Kind = EntryKinds.Reload })).Items);
        Assert.Equal(reload.Audit.Sequence, (ulong)entry.Sequence);
        var record = ReloadRecord.Read(JsonNode.Parse(entry.RecordJson)!.AsObject());
        Assert.Equal((ReloadRecord.Served, ReloadRecord.CallerTrigger, "test-rules-admin"), (record.Outcome, record.Trigger, record.Caller));
        Assert.Equal(reload.Serving.Revision, record.Revision);
        Assert.Equal(before.Ruleset.Revision, record.PreviousRevision);
        Assert.NotNull(await reader.GetRevisionAsync(reload.Serving.Revision));
        var verification = await AuditVerifier.VerifyAsync(host.Services.GetRequiredService<IAuditStorage>());
        Assert.True(verification.IsValid, verification.Message);
        Assert.DoesNotContain("does not read", verification.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReloadRules_BrokenEdit_IsRefusedWithDiagnosticsAndTheLastGoodRevisionKeepsAnswering()
    {
        using var rules = new ReloadRuleSets();
        await using var host = await TestServerHost.StartAsync(rules.Directory);
        var served = host.Provider.Current!.RuleSet.Identity.Revision;

        rules.BreakRules();
        var reload = (await Admin(host, TestCredentials.RulesAdminKey).ReloadRulesAsync(new ReloadRulesRequest())).Reload;

        Assert.Equal(ReloadOutcome.ReloadRefused, reload.Outcome);
        Assert.Equal(served, reload.Serving.Revision);
        Assert.NotEqual(served, reload.CandidateRevision);
        Assert.Contains(reload.Diagnostics, d => d.File == "rules.json" && d.Line > 0 && d.Severity == "error");
        var check = await host.Client.CheckAsync(ReloadRuleSets.FeverRequest());
        Assert.Equal((ReloadRuleSets.FeverVerdict('A'), served), (check.Suitability, check.Ruleset.Revision));
        var ruleset = await host.Client.GetRulesetAsync(new GetRulesetRequest());
        Assert.True(ruleset.NewerRevisionRefused);
        Assert.Equal(served, ruleset.Ref.Revision);
        Assert.Equal(reload.CandidateRevision, ruleset.LastReload.CandidateRevision);

        var entry = Assert.Single((await host.Services.GetRequiredService<IAuditReader>().ListAsync(new EntryFilter { Kind = EntryKinds.Reload })).Items);
        var record = ReloadRecord.Read(JsonNode.Parse(entry.RecordJson)!.AsObject());
        Assert.Equal((ReloadRecord.Refused, served, reload.CandidateRevision), (record.Outcome, record.Revision, record.CandidateRevision));
        Assert.Equal(reload.Diagnostics.Count, record.DiagnosticCount);
        Assert.StartsWith("rules.json:", record.Diagnostics[0], StringComparison.Ordinal);
        Assert.True((await AuditVerifier.VerifyAsync(host.Services.GetRequiredService<IAuditStorage>())).IsValid);
    }

    [Fact]
    public async Task ReloadRules_ExpressionNestedPastTheBound_IsRefusedAtTheExpressionAndTheLastGoodRevisionKeepsAnswering()
    {
        using var rules = new ReloadRuleSets();
        await using var host = await TestServerHost.StartAsync(rules.Directory);
        var served = host.Provider.Current!.RuleSet.Identity.Revision;

        // 33 parentheses around a call, 34 levels: refused before it is parsed, as a nesting thousands deep is (parsed,
        // that overflowed the stack and ended the reloading service).
        const string Test = "child.TemperatureCelsius.AtLeast(feverThresholdCelsius)";
        var file = Path.Combine(rules.Directory, "rules.json");
        var text = File.ReadAllText(file);
        rules.Write("rules.json", text.Replace(Test, new string('(', 33) + Test + new string(')', 33), StringComparison.Ordinal));
        var reload = (await Admin(host, TestCredentials.RulesAdminKey).ReloadRulesAsync(new ReloadRulesRequest())).Reload;

        Assert.Equal(ReloadOutcome.ReloadRefused, reload.Outcome);
        Assert.Equal(served, reload.Serving.Revision);
        var problem = Assert.Single(reload.Diagnostics);
        var lines = File.ReadAllLines(file);
        var line = Array.FindIndex(lines, l => l.Contains(Test, StringComparison.Ordinal));
        var column = lines[line].IndexOf(new string('(', 33), StringComparison.Ordinal) + 32 + 1;
        Assert.Equal(("rules.json", line + 1, column, "error"), (problem.File, problem.Line, problem.Column, problem.Severity));
        Assert.StartsWith("rule 'fever': the expression nests parentheses 34 deep; at most 32 are allowed", problem.Message, StringComparison.Ordinal);
        var check = await host.Client.CheckAsync(ReloadRuleSets.FeverRequest());
        Assert.Equal((ReloadRuleSets.FeverVerdict('A'), served), (check.Suitability, check.Ruleset.Revision));
        Assert.True((await host.Client.GetRulesetAsync(new GetRulesetRequest())).NewerRevisionRefused);
    }

    [Fact]
    public async Task ReloadRules_EditThatFailsACase_IsRefusedNamingTheCase()
    {
        using var rules = new ReloadRuleSets();
        await using var host = await TestServerHost.StartAsync(rules.Directory);
        var served = host.Provider.Current!.RuleSet.Identity.Revision;

        // The rules of B with the cases of A: a valid rule set whose fever case now fails.
        rules.WriteRules('B');
        var reload = (await Admin(host, TestCredentials.RulesAdminKey).ReloadRulesAsync(new ReloadRulesRequest())).Reload;

        Assert.Equal(ReloadOutcome.ReloadRefused, reload.Outcome);
        Assert.Equal((2, 1), (reload.CasesRun, reload.CasesFailed));
        var problem = Assert.Single(reload.Diagnostics);
        Assert.Equal("rules.cases.json", problem.File);
        Assert.Contains("case 'fever' failed", problem.Message, StringComparison.Ordinal);
        Assert.Equal(served, host.Provider.Current!.RuleSet.Identity.Revision);
    }

    [Fact]
    public async Task ReloadRules_EditWhoseRuleErrorsWhenEvaluated_IsRefusedNamingTheRuleAndItsError()
    {
        using var rules = new ReloadRuleSets();
        await using var host = await TestServerHost.StartAsync(rules.Directory);
        var served = host.Provider.Current!.RuleSet.Identity.Revision;

        // Variant B's fever rule gives review, and a fever rule that throws fails closed to review under its own id:
        // its case used to pass, and the broken rule was served. A sum past decimal's range throws every time.
        rules.UseVariant('B');
        const string Test = "child.Has(\\\"fever\\\") || child.TemperatureCelsius.AtLeast(feverThresholdCelsius)";
        var text = File.ReadAllText(Path.Combine(rules.Directory, "rules.json"));
        Assert.Contains(Test, text, StringComparison.Ordinal);
        rules.Write("rules.json", text.Replace(Test, $"({Test}) && 79228162514264337593543950335.0m + 1.0m > 0.0m", StringComparison.Ordinal));
        var reload = (await Admin(host, TestCredentials.RulesAdminKey).ReloadRulesAsync(new ReloadRulesRequest())).Reload;

        Assert.Equal(ReloadOutcome.ReloadRefused, reload.Outcome);
        Assert.Equal((2, 1), (reload.CasesRun, reload.CasesFailed));
        Assert.Contains(reload.Diagnostics, d => d.File == "rules.cases.json" && d.Severity == "error"
            && d.Message.StartsWith("case 'fever' failed: rule 'fever' could not be evaluated: Value was either too large or too small for a Decimal.", StringComparison.Ordinal));
        Assert.Contains(reload.Diagnostics, d => d.File == "rules.json" && d.Message.StartsWith("rule 'fever' is fired by no case", StringComparison.Ordinal));
        var check = await host.Client.CheckAsync(ReloadRuleSets.FeverRequest());
        Assert.Equal((ReloadRuleSets.FeverVerdict('A'), served), (check.Suitability, check.Ruleset.Revision));
    }

    [Fact]
    public Task ReloadRules_AuditTrailCannotArchiveOrRecord_RefusedAndTheLastGoodRevisionKeepsAnswering() =>
        ReloadWithStoreFaultAsync((store, on) => store.FailWrites = on, async (store, before, reload, after) =>
        {
            Assert.Equal(ReloadOutcome.ReloadRefused, reload.Outcome);
            Assert.Null(reload.Audit);
            Assert.Contains("audit trail", Assert.Single(reload.Diagnostics).Message, StringComparison.Ordinal);
            Assert.Equal((before.Suitability, before.Ruleset.Revision), (after.Suitability, after.Ruleset.Revision));
            Assert.Null(await store.GetRevisionAsync(reload.CandidateRevision));
        });

    [Fact]
    public Task ReloadRules_ServedEntryCommittedButItsAcknowledgementLost_ServesWhatTheTrailRecorded() =>
        ReloadWithStoreFaultAsync((store, on) => store.LoseAcknowledgements = on, async (store, before, reload, after) =>
        {
            Assert.Equal(ReloadOutcome.ReloadServed, reload.Outcome);
            Assert.NotNull(reload.Audit);
            Assert.Equal(reload.CandidateRevision, after.Ruleset.Revision);
            Assert.NotEqual(before.Ruleset.Revision, after.Ruleset.Revision);
            var reloads = (await store.ListAsync(new EntryFilter { Kind = EntryKinds.Reload })).Items
                .Select(e => ReloadRecord.Read(JsonNode.Parse(e.RecordJson)!.AsObject()))
                .ToList();
            Assert.Equal(ReloadRecord.Served, Assert.Single(reloads, r => r.CandidateRevision == reload.CandidateRevision).Outcome);
            Assert.True((await AuditVerifier.VerifyAsync(store)).IsValid);
        });

    [Fact]
    public async Task ReloadRules_UnchangedFiles_ServeTheSameRevision()
    {
        using var rules = new ReloadRuleSets();
        await using var host = await TestServerHost.StartAsync(rules.Directory);
        var served = host.Provider.Current;

        var reload = (await Admin(host, TestCredentials.RulesAdminKey).ReloadRulesAsync(new ReloadRulesRequest())).Reload;

        Assert.Equal(ReloadOutcome.ReloadUnchanged, reload.Outcome);
        Assert.Same(served, host.Provider.Current);
    }

    [Theory]
    [InlineData(TestCredentials.ClinicalAppKey, StatusCode.PermissionDenied)]
    [InlineData(TestCredentials.AuditorKey, StatusCode.PermissionDenied)]
    [InlineData(null, StatusCode.Unauthenticated)]
    public async Task ReloadRules_CallerWithoutRulesAdmin_IsRefusedAndNothingReloads(string? key, StatusCode expected)
    {
        using var rules = new ReloadRuleSets();
        await using var host = await TestServerHost.StartAsync(rules.Directory);
        host.Logs.Expect("SafetyCheck.Security");
        var served = host.Provider.Current;
        rules.UseVariant('B');

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Admin(host, key).ReloadRulesAsync(new ReloadRulesRequest()));

        Assert.Equal(expected, error.StatusCode);
        Assert.Same(served, host.Provider.Current);
    }

    [Fact]
    public async Task ReloadRules_UnderConcurrentChecks_EveryCallAnsweredAndLabelledWithTheRevisionThatDecidedIt()
    {
        using var rules = new ReloadRuleSets();
        // Eight callers in a loop as one caller: on a fast machine they pass the per-caller rate, which is not under test.
        await using var host = await TestServerHost.StartAsync(rules.Directory, args: ["--SafetyCheck:Limits:CallsPerSecondPerCaller=0"]);
        var verdicts = new Dictionary<string, Suitability>(StringComparer.Ordinal)
        {
            [host.Provider.Current!.RuleSet.Identity.Revision] = ReloadRuleSets.FeverVerdict('A'),
        };
        var admin = Admin(host, TestCredentials.RulesAdminKey);
        var responses = new ConcurrentBag<CheckResponse>();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var client = host.Client;
            for (var i = 0; !stop.IsCancellationRequested || i < 5; i++)
            {
                responses.Add(await client.CheckAsync(ReloadRuleSets.FeverRequest($"w{worker}-{i}")));
            }
        })).ToList();

        foreach (var variant in "BABA")
        {
            await Task.Delay(100);
            rules.UseVariant(variant);
            var reload = (await admin.ReloadRulesAsync(new ReloadRulesRequest())).Reload;
            Assert.Equal(ReloadOutcome.ReloadServed, reload.Outcome);
            verdicts[reload.Serving.Revision] = ReloadRuleSets.FeverVerdict(variant);
        }

        await Task.Delay(100);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.Equal(2, verdicts.Count);
        foreach (var response in responses)
        {
            Assert.Equal(verdicts[response.Ruleset.Revision], response.Suitability);
            Assert.Equal(response.Ruleset.Revision == verdicts.Keys.First() ? "Fever (A)." : "Fever (B).", response.Precautions.Single().Summary);
        }

        Assert.All(verdicts.Keys, revision => Assert.Contains(responses, r => r.Ruleset.Revision == revision));
        var decisions = await host.Services.GetRequiredService<IAuditReader>().ListAsync(new EntryFilter { PageSize = EntryFilter.MaxPageSize });
        Assert.Equal(Math.Min(responses.Count, EntryFilter.MaxPageSize), decisions.Items.Count);
        Assert.All(decisions.Items, d => Assert.Equal(verdicts[d.Revision!] == Suitability.NotSuitable ? "NOT_SUITABLE" : "CLINICIAN_REVIEW_REQUIRED", d.Verdict));
    }

    [Fact]
    public async Task Restart_OnFilesTheLatestReloadRefused_DoesNotServeThem_AndServesOnceTheyAreFixed()
    {
        using var rules = new ReloadRuleSets();
        using var folder = new TempAuditFolder();
        string[] args = [folder.HostArgument];
        await using (var host = await TestServerHost.StartAsync(rules.Directory, args: args))
        {
            host.Logs.Expect("SafetyCheck");
            rules.WriteRules('B');
            var refused = (await Admin(host, TestCredentials.RulesAdminKey).ReloadRulesAsync(new ReloadRulesRequest())).Reload;
            Assert.Equal(ReloadOutcome.ReloadRefused, refused.Outcome);
        }

        // A restart on the same files: the trail remembers the refusal, and nothing serves.
        await using (var restarted = await TestServerHost.StartAsync(rules.Directory, waitForRules: false, args: args))
        {
            restarted.Logs.Expect("SafetyCheck");
            var load = await WaitForLoadAsync(restarted);
            Assert.False(load.Succeeded);
            Assert.StartsWith("the latest reload recorded in the audit trail", load.Diagnostics[0].Message, StringComparison.Ordinal);
            Assert.Contains(", and it still fails, so it is not served", load.Diagnostics[0].Message, StringComparison.Ordinal);
            Assert.Contains(load.Diagnostics, d => d.File == "rules.cases.json" && d.Message.Contains("case 'fever' failed", StringComparison.Ordinal));
            Assert.Null(restarted.Provider.Current);
            Assert.Equal(StatusCode.Unavailable, (await Assert.ThrowsAsync<RpcException>(() => restarted.Client.CheckAsync(ReloadRuleSets.FeverRequest()).ResponseAsync)).StatusCode);
        }

        // The cases fixed to follow the rules: the same revision (cases are not part of it), vetted again, served.
        rules.UseVariant('B');
        await using var fixedHost = await TestServerHost.StartAsync(rules.Directory, args: args);
        Assert.Equal(ReloadRuleSets.FeverVerdict('B'), (await fixedHost.Client.CheckAsync(ReloadRuleSets.FeverRequest())).Suitability);
        Assert.Contains(fixedHost.Logs.Entries, e => e.Message.Contains("was vetted again and passes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_TrailCannotSayWhetherAReloadRefusedTheFiles_VetsThemAndServesOnlyIfTheyPass()
    {
        using var rules = new ReloadRuleSets();
        rules.WriteRules('B');

        // Rules whose cases fail: not served unvetted when the trail cannot be asked.
        await using (var failing = await TestServerHost.StartAsync(rules.Directory, waitForRules: false, configureServices: s => s.AddSingleton<SafetyCheck.RuleSets.IReloadJournal>(new UnreadableJournal())))
        {
            failing.Logs.Expect("SafetyCheck");
            var load = await WaitForLoadAsync(failing);
            Assert.False(load.Succeeded);
            Assert.StartsWith("the audit trail could not say whether the latest reload refused revision", load.Diagnostics[0].Message, StringComparison.Ordinal);
            Assert.Contains(load.Diagnostics, d => d.Message.Contains("case 'fever' failed", StringComparison.Ordinal));
            Assert.Null(failing.Provider.Current);
        }

        rules.UseVariant('B');
        await using var passing = await TestServerHost.StartAsync(rules.Directory, configureServices: s => s.AddSingleton<SafetyCheck.RuleSets.IReloadJournal>(new UnreadableJournal()));
        passing.Logs.Expect("SafetyCheck");
        Assert.Equal(ReloadRuleSets.FeverVerdict('B'), (await passing.Client.CheckAsync(ReloadRuleSets.FeverRequest())).Suitability);
    }

    /// <summary>A journal whose trail cannot be read.</summary>
    private sealed class UnreadableJournal : SafetyCheck.RuleSets.IReloadJournal
    {
        public Task ArchiveAsync(SafetyCheck.Core.Rules.RuleSet ruleSet, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<SafetyCheck.Core.Pipeline.DecisionReceipt> RecordAsync(SafetyCheck.RuleSets.ReloadReport report, SafetyCheck.Core.Rules.RuleSet? serving, CancellationToken cancellationToken) =>
            throw new SafetyCheck.RuleSets.ReloadNotRecordedException("the store is down");

        public Task<IReadOnlyList<SafetyCheck.Core.Rules.Diagnostic>?> RefusalOfAsync(string revision, CancellationToken cancellationToken) =>
            throw new SafetyCheck.RuleSets.ReloadNotRecordedException("the store is down");
    }

    private static async Task<SafetyCheck.Core.Rules.RuleSetLoadResult> WaitForLoadAsync(TestServerHost host)
    {
        for (var i = 0; i < 300 && host.Provider.LastLoad is null; i++)
        {
            await Task.Delay(100);
        }

        return host.Provider.LastLoad ?? throw new TimeoutException("the rule set did not load within 30 s");
    }

    [Fact]
    public async Task FileWatch_EditRefusedOnlyBecauseTheAuditTrailFailed_ServesOnceTheStoreIsBack_WithoutATouch()
    {
        using var rules = new ReloadRuleSets();
        using var folder = new TempAuditFolder();
        var store = new FailingAuditStorage(SqliteAuditStorage.Open(folder.DatabasePath));
        await using var host = await TestServerHost.StartAsync(
            rules.Directory,
            args: ["--SafetyCheck:Reload:Watch=true", "--SafetyCheck:Reload:DebounceMilliseconds=100", "--SafetyCheck:Reload:PollSeconds=1"],
            configureServices: s => s.AddSingleton<IAuditStorage>(store));
        host.Logs.Expect("SafetyCheck");
        var first = host.Provider.Current!.RuleSet.Identity.Revision;

        store.FailWrites = true;
        rules.UseVariant('B');
        await WaitForAsync(host, r => r.NewerRevisionRefused);
        store.FailWrites = false;

        var served = await WaitForAsync(host, r => r.Ref.Revision != first);
        Assert.Equal(ReloadTrigger.ReloadFileWatch, served.LastReload.Trigger);
        Assert.Equal(ReloadRuleSets.FeverVerdict('B'), (await host.Client.CheckAsync(ReloadRuleSets.FeverRequest())).Suitability);
        Assert.NotNull(await store.GetRevisionAsync(served.Ref.Revision));
    }

    [Fact]
    public async Task FileWatch_EditedRuleFile_ServesTheNewRevisionWithinSecondsAndRefusesABrokenOne()
    {
        using var rules = new ReloadRuleSets();
        await using var host = await TestServerHost.StartAsync(rules.Directory, args: ["--SafetyCheck:Reload:Watch=true", "--SafetyCheck:Reload:DebounceMilliseconds=100", "--SafetyCheck:Reload:PollSeconds=1"]);
        var first = host.Provider.Current!.RuleSet.Identity.Revision;

        rules.UseVariant('B');
        var second = await WaitForAsync(host, r => r.Ref.Revision != first);
        Assert.Equal(ReloadTrigger.ReloadFileWatch, second.LastReload.Trigger);
        Assert.Equal(ReloadRuleSets.FeverVerdict('B'), (await host.Client.CheckAsync(ReloadRuleSets.FeverRequest())).Suitability);

        rules.BreakRules();
        var refused = await WaitForAsync(host, r => r.NewerRevisionRefused);
        Assert.Equal(second.Ref.Revision, refused.Ref.Revision);
        Assert.Equal(second.Ref.Revision, (await host.Client.CheckAsync(ReloadRuleSets.FeverRequest())).Ruleset.Revision);

        var reloads = (await host.Services.GetRequiredService<IAuditReader>().ListAsync(new EntryFilter { Kind = EntryKinds.Reload })).Items
            .Select(e => ReloadRecord.Read(JsonNode.Parse(e.RecordJson)!.AsObject())).ToList();
        Assert.Equal([ReloadRecord.Served, ReloadRecord.Refused], reloads.Select(r => r.Outcome));
        Assert.All(reloads, r => Assert.Equal((ReloadRecord.FileWatchTrigger, (string?)null), (r.Trigger, r.Caller)));
    }

    /// <summary>
    /// Serves variant A on a store that <paramref name="fault"/> can make fail, answers a Check, reloads variant B with
    /// the fault on, answers a Check again, and hands the store, both answers and the reload to <paramref name="then"/>
    /// while the host still runs.
    /// </summary>
    private static async Task ReloadWithStoreFaultAsync(
        Action<FailingAuditStorage, bool> fault, Func<FailingAuditStorage, CheckResponse, RuleReload, CheckResponse, Task> then)
    {
        using var rules = new ReloadRuleSets();
        using var folder = new TempAuditFolder();
        var store = new FailingAuditStorage(SqliteAuditStorage.Open(folder.DatabasePath));
        await using var host = await TestServerHost.StartAsync(rules.Directory, configureServices: s => s.AddSingleton<IAuditStorage>(store));
        host.Logs.Expect("SafetyCheck");
        var before = await host.Client.CheckAsync(ReloadRuleSets.FeverRequest());

        fault(store, true);
        rules.UseVariant('B');
        var reload = (await Admin(host, TestCredentials.RulesAdminKey).ReloadRulesAsync(new ReloadRulesRequest())).Reload;
        fault(store, false);

        await then(store, before, reload, await host.Client.CheckAsync(ReloadRuleSets.FeverRequest()));
    }

    private static RuleAdmin.RuleAdminClient Admin(TestServerHost host, string? key) => new(host.CreateChannel(key));

    private static async Task<Ruleset> WaitForAsync(TestServerHost host, Func<Ruleset, bool> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            var ruleset = await host.Client.GetRulesetAsync(new GetRulesetRequest());
            if (condition(ruleset))
            {
                return ruleset;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the rule directory's change was not served within 30 s");
    }
}
