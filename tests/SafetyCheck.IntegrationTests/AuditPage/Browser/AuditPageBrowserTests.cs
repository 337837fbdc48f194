using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SafetyCheck.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SafetyCheck.IntegrationTests.AuditPage.Browser;

/// <summary>
/// The auditor's page in headless Chromium over <see cref="TwoRevisionTrail"/>: sign-in with an auditor's key and a
/// clinical app's, the decision list filtered by verdict and by rule, a decision's evidence and its replay, the pictures
/// and what changed between the revisions.
/// </summary>
public sealed partial class AuditPageBrowserTests(AuditPageBrowser browser) : IClassFixture<AuditPageBrowser>
{
    private TwoRevisionTrail Trail => browser.Trail;

    [Fact]
    public async Task SignIn_AuditorKey_OpensTheDecisionsNewestFirst()
    {
        var page = await browser.SignedInAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/audit/decisions$"));
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Decisions", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("form.signout")).ToContainTextAsync("Signed in as test-auditor");
        await Expect(page.Locator("#result-count")).ToHaveTextAsync("40 decisions on this page, newest first.");
        await Expect(Rows(page).First.Locator("td").Nth(5)).ToHaveTextAsync(Trail.After[^1].Audit.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await AuditPageBrowser.ScreenshotAndCloseAsync(page, "decisions");
    }

    [Fact]
    public async Task SignIn_ClinicalAppKey_IsRefusedAndThePagesStayClosed()
    {
        var page = await browser.NewPageAsync();
        await AuditPageBrowser.SignInAsync(page, TestCredentials.ClinicalAppKey);

        await Expect(page).ToHaveURLAsync(new Regex("/audit/signin$"));
        await Expect(page.Locator("#sign-in-message")).ToContainTextAsync("Refused: that credential does not hold the auditor role.");
        await Expect(page.Locator("form.signout")).ToHaveCountAsync(0);
        await AuditPageBrowser.ScreenshotAndCloseAsync(page, "signin-refused");

        var again = await browser.NewPageAsync();
        await AuditPageBrowser.SignInAsync(again, TestCredentials.ClinicalAppKey);
        await again.GotoAsync("/audit/decisions");
        await Expect(again).ToHaveURLAsync(new Regex("/audit/signin"));
        await Expect(again.Locator("table.decisions")).ToHaveCountAsync(0);
        await again.Context.CloseAsync();
    }

    [Fact]
    public async Task Decisions_FilteredByVerdictThenByRule_ListOnlyThose()
    {
        var page = await browser.SignedInAsync();

        await page.GetByLabel("Verdict").SelectOptionAsync("NOT_SUITABLE");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Filter" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("verdict=NOT_SUITABLE"));
        var notSuitable = Trail.Before.Concat(Trail.After).Count(r => r.Suitability == Protos.V1.Suitability.NotSuitable);
        await Expect(Rows(page)).ToHaveCountAsync(notSuitable);
        Assert.All(await Rows(page).Locator("td:nth-child(2)").AllInnerTextsAsync(), verdict => Assert.Equal("NOT_SUITABLE", verdict));
        Assert.All(await Rows(page).Locator("td.rules").AllInnerTextsAsync(), rules => Assert.Contains("fever", rules, StringComparison.Ordinal));

        await page.GetByLabel("Verdict").SelectOptionAsync("");
        await page.GetByLabel("Rule").FillAsync("eczema");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Filter" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("rule=eczema"));
        await Expect(Rows(page)).ToHaveCountAsync(2 * TwoRevisionTrail.Days);
        Assert.All(await Rows(page).Locator("td.rules").AllInnerTextsAsync(), rules => Assert.Contains("eczema", rules, StringComparison.Ordinal));
        Assert.All(await Rows(page).Locator("td:nth-child(4)").AllInnerTextsAsync(), revision => Assert.StartsWith(Trail.Before[0].Ruleset.Version + " ", revision, StringComparison.Ordinal));
        await AuditPageBrowser.ScreenshotAndCloseAsync(page, "decisions-by-rule");
    }

    [Fact]
    public async Task Decision_Opened_ShowsItsEvidenceAndReplaysAsAMatch()
    {
        var page = await browser.SignedInAsync();
        await page.GotoAsync("/audit/decisions?rule=eczema");
        await Rows(page).First.GetByRole(AriaRole.Link).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/audit/decisions/[0-9a-f-]{36}$"));
        var eczema = page.Locator("article.precaution", new PageLocatorOptions { Has = page.Locator("#precaution-eczema") });
        await Expect(eczema).ToBeVisibleAsync();
        await Expect(eczema.Locator(".evidence")).ToContainTextAsync("Evidence grade");
        await Expect(eczema.Locator(".citations li").First).ToBeVisibleAsync();
        await Expect(page.Locator("#trace-summary")).ToContainTextAsync("Replayed on the archived revision");

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Replay this decision" }).ClickAsync();
        await Expect(page.Locator("#replay-result")).ToContainTextAsync("Match");
        await Expect(page.Locator("#replay-result")).ToHaveClassAsync("ok");

        // The result is brought into view and focused, above the trace, not left below it.
        await Expect(page.Locator("#replay-result")).ToBeFocusedAsync();
        await Expect(page.Locator("#replay-result")).ToBeInViewportAsync();
        await AuditPageBrowser.ScreenshotAndCloseAsync(page, "decision");
    }

    [Fact]
    public async Task Pictures_NameTheRuleThatWentSilent_AndLeadToWhatChanged()
    {
        var page = await browser.SignedInAsync();
        var first = TwoRevisionTrail.FirstDay;
        await page.GotoAsync($"/audit/pictures?from={first:yyyy-MM-dd}&to={first.AddDays(2 * TwoRevisionTrail.Days):yyyy-MM-dd}");

        await Expect(page.Locator("svg#verdicts-chart")).ToBeVisibleAsync();
        await Expect(page.Locator("svg#firings-chart")).ToBeVisibleAsync();
        var silent = page.Locator("#silences li", new PageLocatorOptions { HasText = "eczema went silent" });
        await Expect(silent).ToHaveCountAsync(1);
        await AuditPageBrowser.ScreenshotAndCloseAsync(page, "pictures");

        var again = await browser.SignedInAsync();
        await again.GotoAsync(page.Url);
        await again.Locator("#silences li", new PageLocatorOptions { HasText = "eczema went silent" }).GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "What changed" }).ClickAsync();
        await Expect(again.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "What changed", Level = 1 })).ToBeVisibleAsync();
        await Expect(again.Locator("#change-eczema")).ToContainTextAsync("changed");
        var eczema = again.Locator("article.change-changed", new PageLocatorOptions { Has = again.Locator("#change-eczema") });
        await Expect(eczema.Locator("td.after", new LocatorLocatorOptions { HasText = "child.AgeMonths >= 6" })).ToHaveCountAsync(1);
        await AuditPageBrowser.ScreenshotAndCloseAsync(again, "revisions-compared");
    }

    [Fact]
    public async Task Decisions_BadFilters_TheErrorSummaryIsFocusedAndLeadsToTheField()
    {
        var page = await browser.SignedInAsync();
        await page.GotoAsync("/audit/decisions?from=2026-12-08&to=2026-12-07&revision=abc");

        var summary = page.Locator("#error-summary");
        await Expect(summary).ToBeFocusedAsync();
        await Expect(summary).ToHaveAttributeAsync("role", "alert");
        await Expect(summary).ToContainTextAsync("abc");
        await summary.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "Revision" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#revision$"));
        await Expect(page.Locator("#revision")).ToHaveValueAsync("abc");
        await AuditPageBrowser.ScreenshotAndCloseAsync(page, "decisions-bad-filters");
    }

    [Theory]
    [InlineData("/audit/decisions")]
    [InlineData("/audit/trail")]
    public async Task Page_At320CssPixels_DoesNotScrollSideways(string path)
    {
        var page = await browser.SignedInAsync();
        await page.SetViewportSizeAsync(320, 640);
        await page.GotoAsync(path);

        var (scroll, client) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("document.documentElement.clientWidth"));
        Assert.True(scroll <= client, $"{path} is {scroll} px wide in a {client} px window");
        await AuditPageBrowser.ScreenshotAndCloseAsync(page, "narrow" + path.Replace('/', '-'));
    }

    private static ILocator Rows(IPage page) => page.Locator("table.decisions tbody tr");
}
