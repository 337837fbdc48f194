using System.Globalization;
using Microsoft.Playwright;
using SafetyCheck.IntegrationTests.Audit;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.AuditPage.Browser;

/// <summary>
/// The auditor's page as an auditor meets it: <c>safetycheck serve</c> started the way the README says (the page on
/// with <c>SafetyCheck__AuditPage__Urls</c>, an auditor's and a clinical app's API key) over a copy of
/// <see cref="TwoRevisionTrail"/>, and one headless Chromium (Debian's, at <see cref="ChromiumPath"/>) for the test
/// class. Each test opens its own browser context (no shared cookies) and writes a screenshot to
/// <see cref="ScreenshotFolder"/>.
/// </summary>
public sealed class AuditPageBrowser : IAsyncLifetime
{
    /// <summary>Debian's Chromium; SAFETYCHECK_TEST_CHROMIUM names another build.</summary>
    public static string ChromiumPath { get; } = Environment.GetEnvironmentVariable("SAFETYCHECK_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Where screenshots go: artifacts/screenshots under the repository (CI keeps the folder).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(TestPaths.RepositoryRoot, "artifacts", "screenshots");

    private TempAuditFolder? _copy;
    private ServeProcess? _serve;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public TwoRevisionTrail Trail { get; } = new();

    /// <summary>The page's address, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string PageUrl { get; private set; } = "";

    /// <summary>The copy of the trail the service serves (tests may tamper with it).</summary>
    public string DatabasePath => _copy!.DatabasePath;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}: the auditor's page browser tests need it. Install Debian's package " +
                "(apt-get install chromium; .ci/run does this when it is missing) or set SAFETYCHECK_TEST_CHROMIUM to a Chromium executable.");
        }

        await Trail.InitializeAsync();
        _copy = Trail.Copy();
        PageUrl = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{KestrelTestHost.FreeLoopbackPort()}");
        _serve = await ServeProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["SafetyCheck__AuditPage__Urls"] = PageUrl,
                ["SafetyCheck__Audit__DatabasePath"] = _copy.DatabasePath,
                ["SafetyCheck__Authentication__ApiKeys__1__Name"] = "test-auditor",
                ["SafetyCheck__Authentication__ApiKeys__1__Sha256"] = TestCredentials.Sha256(TestCredentials.AuditorKey),
                ["SafetyCheck__Authentication__ApiKeys__1__Roles__0"] = "auditor",
            },
            _copy.Path);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>A new page in a browser context of its own, addressed relative to <see cref="PageUrl"/>.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = PageUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>A new page signed in with <paramref name="key"/> through the sign-in form.</summary>
    public async Task<IPage> SignedInAsync(string key = TestCredentials.AuditorKey)
    {
        var page = await NewPageAsync();
        await SignInAsync(page, key);
        return page;
    }

    /// <summary>Fills the sign-in form with <paramref name="key"/> and submits it.</summary>
    public static async Task SignInAsync(IPage page, string key)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/audit/signin");
        await page.GetByLabel("Auditor API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
    }

    /// <summary>Writes a full-page screenshot of <paramref name="page"/> as <paramref name="name"/>.png and closes its context.</summary>
    public static async Task ScreenshotAndCloseAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }

        _copy?.Dispose();
        await Trail.DisposeAsync();
    }
}
