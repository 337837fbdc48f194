using System.Text.Json;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.IntegrationTests.RuleSets;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.IntegrationTests.Cli;

/// <summary>
/// <c>impact</c> over a database of recorded decisions (three with fever, two with eczema, one plain, made by variant A
/// of <see cref="ReloadRuleSets"/>) and a changed rule: variant B turns the fever rule's NOT_SUITABLE into a clinician
/// review.
/// </summary>
public sealed class ImpactCommandTests : IAsyncLifetime, IDisposable
{
    private readonly ReloadRuleSets _rules = new();
    private readonly string _database = TestAudit.NewDatabasePath();
    private readonly List<CheckResponse> _fever = [];

    public async Task InitializeAsync()
    {
        await using var host = await TestServerHost.StartAsync(_rules.Directory, args: ["--SafetyCheck:Audit:DatabasePath=" + _database]);
        for (var i = 0; i < 3; i++)
        {
            _fever.Add(await host.Client.CheckAsync(ReloadRuleSets.FeverRequest($"fever-{i}")));
        }

        foreach (var code in new[] { "L20.9", "L20.9", "Z00.0" })
        {
            var request = ReloadRuleSets.FeverRequest(code);
            request.Conditions[0].Code = code;
            await host.Client.CheckAsync(request);
        }

        _rules.UseVariant('B');
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _rules.Dispose();

    [Fact]
    public async Task Impact_ChangedRule_PrintsTheVerdictChangesTheRuleResponsibleAndExamples()
    {
        var run = await CliRun.InvokeAsync(["impact", "--rules", _rules.Directory, "--audit-db", _database]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("on 6 decisions recorded at any time", run.Output, StringComparison.Ordinal);
        Assert.Contains("3 verdicts would change (50%)", run.Output, StringComparison.Ordinal);
        Assert.Contains("0 would change in precautions or notes only", run.Output, StringComparison.Ordinal);
        Assert.Contains("3 would be decided exactly as recorded", run.Output, StringComparison.Ordinal);
        var table = run.Output.Split('\n').First(l => l.Contains("NOT_SUITABLE → CLINICIAN_REVIEW_REQUIRED", StringComparison.Ordinal));
        Assert.Contains(" 3  e.g. ", table, StringComparison.Ordinal);
        Assert.All(_fever, r => Assert.Contains(r.DecisionId, table, StringComparison.Ordinal));
        Assert.Contains("outcome NOT_SUITABLE → CLINICIAN_REVIEW_REQUIRED 3", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("eczema", run.Output, StringComparison.Ordinal);
        Assert.Contains("replayed 6 decisions in ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Impact_FormatJson_GivesToolsTheSameFigures()
    {
        var run = await CliRun.InvokeAsync(["impact", "--rules", _rules.Directory, "--audit-db", _database, "--format", "json", "--examples", "2"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        Assert.Equal((6, 3, 0, 3), (root.GetProperty("decisions").GetInt32(), root.GetProperty("verdict_changed").GetInt32(), root.GetProperty("other_changed").GetInt32(), root.GetProperty("unchanged").GetInt32()));
        var change = Assert.Single(root.GetProperty("verdict_changes").EnumerateArray());
        Assert.Equal(("NOT_SUITABLE", "CLINICIAN_REVIEW_REQUIRED", 3), (change.GetProperty("from").GetString(), change.GetProperty("to").GetString(), change.GetProperty("decisions").GetInt32()));
        Assert.Equal([_fever[0].DecisionId, _fever[1].DecisionId], change.GetProperty("examples").EnumerateArray().Select(e => e.GetString()));
        var rule = Assert.Single(root.GetProperty("rules").EnumerateArray());
        Assert.Equal(("fever", 3, 3), (rule.GetProperty("rule_id").GetString(), rule.GetProperty("decisions").GetInt32(), rule.GetProperty("verdict_changed").GetInt32()));
        Assert.Contains(rule.GetProperty("transitions").EnumerateArray(), t => t.GetProperty("change").GetString() == "outcome NOT_SUITABLE → CLINICIAN_REVIEW_REQUIRED");
        Assert.Equal(_fever[0].Ruleset.Revision, Assert.Single(root.GetProperty("revisions").EnumerateArray()).GetProperty("revision").GetString());
        Assert.NotEqual(_fever[0].Ruleset.Revision, root.GetProperty("candidate").GetProperty("revision").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("from").ValueKind);
    }

    [Fact]
    public async Task Impact_SameRulesAsRecorded_ChangesNothing()
    {
        _rules.UseVariant('A');

        var run = await CliRun.InvokeAsync(["impact", "--rules", _rules.Directory, "--audit-db", _database, "--format", "json"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal((6, 0, 6), (json.RootElement.GetProperty("decisions").GetInt32(), json.RootElement.GetProperty("verdict_changed").GetInt32(), json.RootElement.GetProperty("unchanged").GetInt32()));
        Assert.Empty(json.RootElement.GetProperty("rules").EnumerateArray());
    }

    [Fact]
    public async Task Impact_PeriodAfterEveryDecision_ReplaysNone()
    {
        var run = await CliRun.InvokeAsync(["impact", "--rules", _rules.Directory, "--audit-db", _database, "--from", "2025-06-02"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("on 0 decisions recorded from 2025-06-02T00:00:00Z", run.Output, StringComparison.Ordinal);
        Assert.Contains("0 verdicts would change (0%)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Impact_ColourTerminal_DrawsAProgressBarAndClearsIt()
    {
        var run = await CliRun.InvokeAsync(["impact", "--rules", _rules.Directory, "--audit-db", _database], colour: true);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("verdicts would change", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("replayed 6 of 6", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--format", "xml")]
    [InlineData("--from", "yesterday")]
    [InlineData("--examples", "0")]
    [InlineData("--no-such-flag", "1")]
    public async Task Impact_BadArgument_Exits2AndNamesIt(string flag, string value)
    {
        var run = await CliRun.InvokeAsync(["impact", "--rules", _rules.Directory, "--audit-db", _database, flag, value]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(flag, run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task Impact_ToNotAfterFrom_Exits2()
    {
        var run = await CliRun.InvokeAsync(["impact", "--rules", _rules.Directory, "--audit-db", _database, "--from", "2025-06-02", "--to", "2025-06-01"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--to", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Impact_CandidateThatDoesNotLoad_Exits1WithItsDiagnostics()
    {
        _rules.BreakRules();

        var run = await CliRun.InvokeAsync(["impact", "--rules", _rules.Directory, "--audit-db", _database]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("does not load", run.Error, StringComparison.Ordinal);
        Assert.Contains("rules.json:", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Impact_NoDatabase_Exits1()
    {
        var run = await CliRun.InvokeAsync(["impact", "--rules", _rules.Directory, "--audit-db", TestAudit.NewDatabasePath()]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot read the audit trail", run.Error, StringComparison.Ordinal);
    }
}
