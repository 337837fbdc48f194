using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.IntegrationTests.RuleSets;

/// <summary>
/// The warnings <c>check</c> prints reach the service's log too, when a rule set starts serving (at start and by a
/// reload), so that an operator sees what the authors were warned about; they never stop it serving.
/// </summary>
public sealed class ServingWarningsTests
{
    private const int ServingWithWarnings = 18;
    private const int ReviewWarning = 19;

    [Fact]
    public async Task Start_RuleSetWithACatalogWarning_ServesAndLogsTheWarning()
    {
        var rules = TestPaths.CopyOfRules();
        await AddWarningConditionAsync(rules);

        await using var host = await TestServerHost.StartAsync(rules);
        var revision = host.Provider.Current!.RuleSet.Identity.Revision;
        await WaitForLogAsync(host, ServingWithWarnings);

        var summary = Assert.Single(host.Logs.Entries, e => e.EventId.Id == ServingWithWarnings);
        Assert.Equal(LogLevel.Warning, summary.Level);
        Assert.Contains($"revision {revision} serves with warnings that `safetycheck check` reports (1)", summary.Message, StringComparison.Ordinal);
        var line = Assert.Single(host.Logs.Entries, e => e.EventId.Id == ReviewWarning);
        Assert.Matches(@"^conditions\.json:\d+:\d+: warning: ICD-10-CM pattern 'T88\.1' of 'vaccine-reaction'", line.Message);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await host.Health.CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task Start_ShippedRules_LogNoWarning()
    {
        await using var host = await TestServerHost.StartAsync(TestPaths.Rules);

        // The review runs after the load, in the loading service's background task: once that task has ended, the
        // review is done, and nothing was logged.
        var loading = host.Services.GetServices<IHostedService>().OfType<SafetyCheck.RuleSets.RuleSetLoadingService>().Single();
        await host.Client.CheckAsync(SampleRequests.Infant());
        await loading.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.DoesNotContain(host.Logs.Entries, e => e.EventId.Id is ServingWithWarnings or ReviewWarning);
    }

    [Fact]
    public async Task Reload_EditWithACatalogWarning_ServesAndLogsTheWarningForTheNewRevision()
    {
        var rules = TestPaths.CopyOfRules();
        await using var host = await TestServerHost.StartAsync(rules);
        await AddWarningConditionAsync(rules);

        var reload = (await new RuleAdmin.RuleAdminClient(host.CreateChannel(TestCredentials.RulesAdminKey)).ReloadRulesAsync(new ReloadRulesRequest())).Reload;

        Assert.Equal(ReloadOutcome.ReloadServed, reload.Outcome);
        Assert.Empty(reload.Diagnostics);
        var summary = Assert.Single(host.Logs.Entries, e => e.EventId.Id == ServingWithWarnings);
        Assert.Contains($"revision {reload.Serving.Revision} serves with warnings", summary.Message, StringComparison.Ordinal);
        Assert.Contains(host.Logs.Entries, e => e.EventId.Id == ReviewWarning && e.Message.Contains("'vaccine-reaction'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reload_RefusedWithManyFailingCases_LogsTwentyProblemsAndACount()
    {
        var rules = TestPaths.CopyOfRules();
        await using var host = await TestServerHost.StartAsync(rules);
        var source = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(rules, "timing-and-setting.cases.json")))!;
        var failing = new System.Text.Json.Nodes.JsonArray();
        for (var i = 0; i < 25; i++)
        {
            var @case = source["cases"]![0]!.DeepClone();
            @case["name"] = $"expects the wrong verdict {i}";
            @case["expect"] = new System.Text.Json.Nodes.JsonObject { ["suitability"] = "SUITABLE" };
            failing.Add(@case);
        }

        await File.WriteAllTextAsync(Path.Combine(rules, "wrong.cases.json"), new System.Text.Json.Nodes.JsonObject { ["cases"] = failing }.ToJsonString());

        // Cases are not part of the revision: an edit of a rule file makes the reload vet them.
        await AddWarningConditionAsync(rules);

        var reload = (await new RuleAdmin.RuleAdminClient(host.CreateChannel(TestCredentials.RulesAdminKey)).ReloadRulesAsync(new ReloadRulesRequest())).Reload;

        Assert.Equal(ReloadOutcome.ReloadRefused, reload.Outcome);
        Assert.Equal(20, host.Logs.Entries.Count(e => e.EventId.Id == 15));
        var more = Assert.Single(host.Logs.Entries, e => e.EventId.Id == 22);
        Assert.Equal("Reload refused: ... and 5 more problems (`safetycheck check` on the same files lists them all)", more.Message);
    }

    /// <summary>A condition whose ICD-10-CM pattern takes codes another row's pattern matches: a catalog warning, no error.</summary>
    private static Task AddWarningConditionAsync(string rules) =>
        TestPaths.AddConditionAsync(rules, """{ "id": "vaccine-reaction", "display": "Vaccine reaction", "icd10": ["T88.1"] }""");

    private static async Task WaitForLogAsync(TestServerHost host, int eventId)
    {
        for (var i = 0; i < 300 && !host.Logs.Entries.Any(e => e.EventId.Id == eventId); i++)
        {
            await Task.Delay(100);
        }
    }
}
