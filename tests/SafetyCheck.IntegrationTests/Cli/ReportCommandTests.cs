using System.Globalization;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using SafetyCheck.IntegrationTests.Audit;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.IntegrationTests.Cli;

/// <summary>
/// <c>report</c>: the traceability report over the shipped rules and a small recorded trail (eight decisions: three
/// SUITABLE, two NOT_SUITABLE by <c>fever</c>, three SUITABLE_WITH_PRECAUTIONS by <c>eczema</c>), parsed as HTML.
/// </summary>
public sealed class ReportCommandTests(RecordedTrailFixture trail) : IClassFixture<RecordedTrailFixture>
{
    private static string NewOutput() => Path.Combine(Path.GetTempPath(), "safetycheck-tests", Path.GetRandomFileName(), "report.html");

    private async Task<(CliRun Run, IDocument Html)> ReportAsync(params string[] extra)
    {
        using var copy = trail.Copy();
        var output = NewOutput();
        var run = await CliRun.InvokeAsync(["report", "--rules", TestPaths.Rules, "--audit-db", copy.DatabasePath, "--output", output, .. extra]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return (run, new HtmlParser().ParseDocument(await File.ReadAllTextAsync(output)));
    }

    /// <summary>How many of <paramref name="responses"/> a rule produced a precaution or benefit note in.</summary>
    private static int FiredIn(IEnumerable<CheckResponse> responses, string ruleId) =>
        responses.Count(r => r.Precautions.Any(p => p.RuleId == ruleId) || r.Benefits.Any(b => b.RuleId == ruleId));

    [Fact]
    public async Task Report_RuleRow_ShowsItsPolicyRowCasesCitationsAndFiringCount()
    {
        var (run, html) = await ReportAsync();

        Assert.StartsWith("wrote ", run.Output, StringComparison.Ordinal);
        var fever = html.QuerySelector("section.rule#rule-fever")!;
        Assert.NotNull(fever);
        var policy = fever.QuerySelector("table.policy-row")!;
        Assert.Contains("Fever", policy.QuerySelectorAll("td").Select(td => td.TextContent), StringComparer.Ordinal);
        Assert.Contains(policy.QuerySelectorAll("tr"), tr => tr.QuerySelector("th")?.TextContent == "verdict" && tr.QuerySelector("td")?.TextContent == "NS");
        Assert.Equal("D", fever.QuerySelector(".grade")!.TextContent);
        Assert.Equal(3, fever.QuerySelectorAll("ol.citations li").Length);
        var cases = fever.QuerySelectorAll("table.cases tr").Skip(1).ToList();
        Assert.Contains(cases, tr => tr.Children[0].TextContent == "temperature 38.0 °C is fever" && tr.Children[2].TextContent == "fires it" && tr.Children[3].TextContent == "PASS");
        Assert.Contains(cases, tr => tr.Children[2].TextContent == "must not fire it");
        Assert.Equal(2, FiredIn(trail.Responses, "fever"));
        Assert.Equal("2", fever.QuerySelector("p.fired")!.GetAttribute("data-count"));
        var byRevision = fever.QuerySelector($"table.by-revision tr[data-revision='{trail.Revision}']")!;
        Assert.Equal("2", byRevision.Children[1].TextContent);
        Assert.Equal("8", byRevision.Children[2].TextContent);
        Assert.DoesNotContain("never-fired", fever.ClassList);
    }

    [Fact]
    public async Task Report_EveryRule_CountsWhatTheRecordedDecisionsSay_AndFlagsTheRulesThatNeverFired()
    {
        var (_, html) = await ReportAsync();

        var rules = html.QuerySelectorAll("section.rule").ToList();
        Assert.True(rules.Count > 50);
        foreach (var rule in rules)
        {
            var id = rule.GetAttribute("data-rule-id")!;
            var expected = FiredIn(trail.Responses, id);
            Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), rule.QuerySelector("p.fired")!.GetAttribute("data-count"));
            Assert.Equal(expected == 0, rule.ClassList.Contains("never-fired"));
            Assert.Equal(expected == 0, rule.QuerySelector(".flag.never-fired") is not null);
            Assert.Equal(expected == 0, html.QuerySelector($"#index-{id}")!.ClassList.Contains("never-fired"));
        }

        Assert.Contains(rules, r => r.Id == "rule-kernicterus" && r.ClassList.Contains("never-fired"));
        Assert.Contains("8 decisions recorded in the period, on 1 rule revision", html.QuerySelector("#summary-decisions")!.TextContent, StringComparison.Ordinal);
        var never = rules.Count(r => r.ClassList.Contains("never-fired"));
        Assert.StartsWith($"{never} rules never fired", html.QuerySelector("#summary-never-fired")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_Period_CountsOnlyTheDecisionsRecordedInIt()
    {
        // Decisions are an hour apart; from half an hour before the fifth: decisions 5 to 8 (eczema, fever, infant, eczema).
        var from = trail.Responses[4].EvaluatedAt.ToDateTimeOffset().AddMinutes(-30);
        var (_, html) = await ReportAsync("--from", from.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

        var later = trail.Responses.Skip(4).ToList();
        Assert.Equal(FiredIn(later, "eczema").ToString(CultureInfo.InvariantCulture), html.QuerySelector("#rule-eczema p.fired")!.GetAttribute("data-count"));
        Assert.Equal("1", html.QuerySelector("#rule-fever p.fired")!.GetAttribute("data-count"));
        Assert.Contains("4 decisions recorded in the period", html.QuerySelector("#summary-decisions")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("recorded at or after", html.QuerySelector("#facts")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_IsSelfContained_AndNamesTheRevisionAndASignOff()
    {
        var (_, html) = await ReportAsync();

        Assert.Empty(html.QuerySelectorAll("script, link, img, iframe, object, embed"));
        Assert.Empty(html.QuerySelectorAll("[src]"));
        Assert.NotNull(html.QuerySelector("head style"));
        Assert.Matches("^[0-9a-f]{64}$", html.QuerySelector("#revision")!.TextContent);
        Assert.NotNull(html.QuerySelector("#sign-off table.sign-off"));
        Assert.Contains("@media print", html.QuerySelector("head style")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_IsStructuredForAssistiveTechnology_AndReadsWithoutColour()
    {
        using var copy = trail.Copy();
        var output = NewOutput();
        var run = await CliRun.InvokeAsync(["report", "--rules", TestPaths.Rules, "--audit-db", copy.DatabasePath, "--output", output]);
        Assert.True(run.ExitCode == 0, run.ToString());

        var html = HtmlAccessibility.AssertStructure(await File.ReadAllTextAsync(output), "report");
        Assert.NotNull(html.QuerySelector("body > main #summary"));
        Assert.Equal("Traceability report", html.QuerySelector("body > header h1")!.TextContent);
        Assert.Contains(".visually-hidden", html.QuerySelector("head style")!.TextContent, StringComparison.Ordinal);
        Assert.All(html.QuerySelectorAll("caption"), caption => Assert.Contains("visually-hidden", caption.ClassList));

        // Each case's result and each never-fired rule say so in words, not only in colour.
        Assert.All(html.QuerySelectorAll("table.cases td.pass, table.cases td.fail, table.cases td.todo"), cell => Assert.Contains(cell.TextContent, (string[])["PASS", "FAIL", "TODO"]));
        Assert.All(html.QuerySelectorAll("#index tr.never-fired"), row => Assert.Equal("never fired", row.QuerySelector(".flag")!.TextContent));
    }

    [Fact]
    public async Task Report_AuditDatabaseThatDoesNotExist_Exits1()
    {
        var run = await CliRun.InvokeAsync(["report", "--rules", TestPaths.Rules, "--audit-db", Path.Combine(Path.GetTempPath(), "no-such", "audit.db"), "--output", NewOutput()]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("no database at", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--from", "2026-03-02")] // no --output
    [InlineData("--output", "x.html", "--from", "yesterday")]
    [InlineData("--output", "x.html", "--from", "2026-03-02", "--to", "2026-03-01")]
    public async Task Report_BadArgument_Exits2(params string[] args)
    {
        var run = await CliRun.InvokeAsync(["report", "--rules", TestPaths.Rules, .. args]);

        Assert.True(run.ExitCode == 2, run.ToString());
    }

    [Fact]
    public async Task Report_TrailWithAChangedRow_IsWrittenSayingSoAndExits2()
    {
        using var copy = trail.Copy();
        AuditTampering.Execute(copy.DatabasePath, "UPDATE entries SET verdict = 'SUITABLE' WHERE sequence = 2;");
        AuditTampering.Execute(copy.DatabasePath, "UPDATE entries SET record = replace(record, '\"caller\":', '\"caller\": ') WHERE sequence = 3;");
        var output = NewOutput();

        var run = await CliRun.InvokeAsync(["report", "--rules", TestPaths.Rules, "--audit-db", copy.DatabasePath, "--output", output]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("CHANGED: sequence 2: the row's verdict column says 'SUITABLE' but its record says 'NOT_SUITABLE'\n", run.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("CHANGED: sequence 3: the record no longer hashes to its entry_hash\n", run.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("2 rows were changed after they were recorded; counted as stored, and the report says so; run 'audit verify'", run.Error, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(output);
        Assert.Contains("CHANGED: 2 decision rows were changed after they were recorded", html, StringComparison.Ordinal);
    }
}
