using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SafetyCheck.Audit.Storage;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.IntegrationTests.RuleSets;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.IntegrationTests.AuditPage;

/// <summary>Entries of the chain that are not decisions (a reload here): linked from their neighbours and shown on a page of their own.</summary>
public sealed class AuditPageEntryTests
{
    [Fact]
    public async Task Neighbours_AReloadBetweenTwoDecisions_IsLinkedBothWaysAndHasItsOwnPage()
    {
        using var rules = new ReloadRuleSets();
        await using var host = await TestServerHost.StartAsync(rules.Directory, args: [AuditPageHosts.PageArgument]);
        var before = await host.Client.CheckAsync(ReloadRuleSets.FeverRequest("before"));
        rules.UseVariant('B');
        var reload = (await new RuleAdmin.RuleAdminClient(host.CreateChannel(TestCredentials.RulesAdminKey)).ReloadRulesAsync(new ReloadRulesRequest())).Reload;
        var after = await host.Client.CheckAsync(ReloadRuleSets.FeverRequest("after"));
        var entry = Assert.Single((await host.Services.GetRequiredService<IAuditReader>().ListAsync(new EntryFilter { Kind = EntryKinds.Reload })).Items);
        Assert.Equal((before.Audit.Sequence + 1, after.Audit.Sequence - 1), (reload.Audit.Sequence, reload.Audit.Sequence));
        using var client = await AuditPageHosts.SignedInAsync(host);

        var (_, first) = await client.GetAsync("/audit/decisions/" + before.DecisionId);
        var (_, last) = await client.GetAsync("/audit/decisions/" + after.DecisionId);
        var (shown, page) = await client.GetAsync("/audit/entries/" + entry.EntryId);
        var (redirected, _) = await client.GetAsync("/audit/decisions/" + entry.EntryId);
        var (toDecision, _) = await client.GetAsync("/audit/entries/" + before.DecisionId);

        Assert.Contains($"<a href=\"/audit/entries/{entry.EntryId}\" id=\"next-entry\">Next in the chain: a reload entry, sequence {entry.Sequence} →</a>", first, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/audit/entries/{entry.EntryId}\" id=\"previous-entry\">← Previous in the chain: a reload entry, sequence {entry.Sequence}</a>", last, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("<dd id=\"entry-kind\">reload</dd>", page, StringComparison.Ordinal);
        Assert.Contains($"<dd id=\"sequence\">{entry.Sequence} of {after.Audit.Sequence}</dd>", page, StringComparison.Ordinal);
        Assert.Contains($"<code>{entry.EntryHash}</code>", page, StringComparison.Ordinal);
        Assert.Contains("hashes to its entry hash", page, StringComparison.Ordinal);
        Assert.DoesNotContain("changed-alert", page, StringComparison.Ordinal);

        // Its time is written as every page writes times, not in the trail's storage form.
        Assert.Matches(@"<dd id=""recorded"">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC</dd>", page);
        Assert.Contains($"&quot;entry_hash&quot;: &quot;{entry.EntryHash}&quot;", page, StringComparison.Ordinal);
        Assert.Contains($"&quot;revision&quot;: &quot;{reload.Serving.Revision}&quot;", page, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/audit/decisions/{before.DecisionId}\" id=\"previous-entry\">← Previous in the chain</a>", page, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/audit/decisions/{after.DecisionId}\" id=\"next-entry\">Next in the chain →</a>", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Equal("/audit/entries/" + entry.EntryId, redirected.Headers.Location!.OriginalString);
        Assert.Equal("/audit/decisions/" + before.DecisionId, toDecision.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/audit/entries/01900000-0000-7000-8000-000000000001")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/audit/decisions/{entry.EntryId}/replay")).Response.StatusCode);
    }

    [Fact]
    public async Task Decision_UnrecognisedCode_ItsPrecautionIsSaidToBeBuiltInNotARule()
    {
        await using var host = await AuditPageHosts.StartAsync();
        var request = SafetyCheck.IntegrationTests.Audit.AuditRequests.Infant("unknown-code");
        request.Conditions.Add(new Condition { System = "http://snomed.info/sct", Code = "999999999999", Display = "Not in the catalog" });
        var response = await host.Client.CheckAsync(request);
        Assert.Equal(Suitability.ClinicianReviewRequired, response.Suitability);
        using var client = await AuditPageHosts.SignedInAsync(host);

        var (_, html) = await client.GetAsync("/audit/decisions/" + response.DecisionId);

        Assert.Contains("<span class=\"tag\">built into the engine (unrecognised code), not a rule</span>", html, StringComparison.Ordinal);
        Assert.Matches("id=\"trace-summary\">Replayed on the archived revision: [^<]*\\. The precaution [a-z-]+ is built into the engine for an unrecognised code, not one of these rules.</p>", html);
    }
}
