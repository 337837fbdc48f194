using Microsoft.Playwright;
using SafetyCheck.IntegrationTests.Audit;
using static Microsoft.Playwright.Assertions;

namespace SafetyCheck.IntegrationTests.AuditPage.Browser;

/// <summary>
/// The trail page in headless Chromium after a record was changed behind the service's back (a browser and a service
/// of its own, since it changes the database).
/// </summary>
public sealed class AuditPageBrowserTamperTests(AuditPageBrowser browser) : IClassFixture<AuditPageBrowser>
{
    [Fact]
    public async Task Verify_TamperedRecord_NamesTheFirstBadSequence()
    {
        var fever = browser.Trail.Before[2];
        var sequence = fever.Audit.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1, AuditTampering.Execute(browser.DatabasePath,
            $"UPDATE entries SET record = replace(record, '\"verdict\":\"NOT_SUITABLE\"', '\"verdict\":\"SUITABLE\"') WHERE sequence = {sequence};"));
        var page = await browser.SignedInAsync();

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Trail", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Verify now" }).ClickAsync();

        await Expect(page.Locator("#verification-result")).ToContainTextAsync("FAILED", new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });
        await Expect(page.Locator("#first-bad-sequence")).ToContainTextAsync($"First bad sequence: {sequence}");
        await Expect(page.Locator("#verification-result")).ToContainTextAsync($"sequence {sequence}: the record does not hash to its entry_hash: it was changed");
        await AuditPageBrowser.ScreenshotAndCloseAsync(page, "trail-tampered");
    }
}
