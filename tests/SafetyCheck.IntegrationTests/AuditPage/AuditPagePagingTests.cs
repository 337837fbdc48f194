using System.Net;
using System.Text.RegularExpressions;
using SafetyCheck.AuditPage;
using SafetyCheck.IntegrationTests.Audit;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Protos.V1;

namespace SafetyCheck.IntegrationTests.AuditPage;

/// <summary>
/// Paging the decision list through its "Older" links, over more decisions than a page holds: each link carries a
/// token bound to the filters of the page it came from, so changing the filters in the address while keeping
/// <c>page</c> is refused (the list must be started again) instead of listing from the wrong place.
/// </summary>
public sealed partial class AuditPagePagingTests(PagedTrailHost fixture) : IClassFixture<PagedTrailHost>
{
    [Theory]
    [InlineData("")]
    [InlineData("?verdict=SUITABLE")]
    [InlineData("?caller=test-all-roles")]
    public async Task Decisions_FollowingOlderWithTheSameFilters_ListsEveryDecisionOnceNewestFirst(string query)
    {
        using var client = await fixture.SignedInAsync();
        var expected = fixture.Decisions.Where(d => query switch
        {
            "?verdict=SUITABLE" => d.Suitability == Suitability.Suitable,
            "?caller=test-all-roles" => !d.RequestId.StartsWith("clinical-", StringComparison.Ordinal),
            _ => true,
        }).Select(d => d.DecisionId).Reverse().ToArray();
        Assert.True(expected.Length > DecisionListQuery.PageSize, "the filter must match more decisions than a page holds");

        var listed = new List<string>();
        var pages = 0;
        string? path = "/audit/decisions" + query;
        while (path is not null)
        {
            var (response, html) = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            listed.AddRange(DecisionIds(html));
            pages++;

            // The filter form carries no page token: submitting it starts at the newest decisions.
            Assert.DoesNotContain("name=\"page\"", html, StringComparison.Ordinal);
            path = OlderLink(html);
            if (path is not null)
            {
                Assert.StartsWith($"/audit/decisions{(query.Length > 0 ? query + "&" : "?")}page=f1%3A", path, StringComparison.Ordinal);
            }
        }

        Assert.Equal(expected, listed);
        Assert.Equal((expected.Length + DecisionListQuery.PageSize - 1) / DecisionListQuery.PageSize, pages);
    }

    [Theory]
    [InlineData("", "verdict=SUITABLE")]
    [InlineData("", "rule=eczema")]
    [InlineData("verdict=SUITABLE", "")]
    [InlineData("verdict=SUITABLE", "verdict=SUITABLE_WITH_PRECAUTIONS")]
    [InlineData("verdict=SUITABLE", "verdict=SUITABLE&caller=test-all-roles")]
    public async Task Decisions_OlderLinkOfOneFilterSentWithAnother_RefusedSayingStartAgain_ListsNothing(string issuedFor, string sentWith)
    {
        using var client = await fixture.SignedInAsync();
        var (_, first) = await client.GetAsync("/audit/decisions" + (issuedFor.Length > 0 ? "?" + issuedFor : ""));
        var token = PageParameter(OlderLink(first)!);

        var (response, html) = await client.GetAsync($"/audit/decisions?{(sentWith.Length > 0 ? sentWith + "&" : "")}page={Uri.EscapeDataString(token)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(DecisionListQuery.PageOfOtherFilters, html, StringComparison.Ordinal);
        Assert.Empty(DecisionIds(html));
        Assert.Null(OlderLink(html));
        AssertTokenNotShown(token, html);
    }

    [Fact]
    public async Task Decisions_GarbledOrStorePageTokens_RefusedSayingStartAgain_ListsNothing()
    {
        using var client = await fixture.SignedInAsync();
        var (_, first) = await client.GetAsync("/audit/decisions");
        var token = PageParameter(OlderLink(first)!);
        var parts = token.Split(':');
        Assert.Equal(3, parts.Length);
        var (digest, storeToken) = (parts[1], parts[2]);

        string[] garbled =
        [
            storeToken, // the store's own token, as the page's links carried it before they named their filters
            "not-a-token",
            "f1:",
            $"f1:{digest}",
            $"f1:{digest}:",
            $"f1:{digest}:not base64!",
            $"f1:{digest}:{storeToken[1..]}",
            $"f1:{digest}:{Convert.ToBase64String("before:yesterday|x"u8)}",
            $"f2:{digest}:{storeToken}",
            $"f1:{digest[..^1]}:{storeToken}",
        ];
        foreach (var page in garbled)
        {
            var (response, html) = await client.GetAsync("/audit/decisions?page=" + Uri.EscapeDataString(page));

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{page}: {response.StatusCode}");
            Assert.Contains(DecisionListQuery.PageRefused, html, StringComparison.Ordinal);
            Assert.Contains("<a href=\"/audit/decisions\">Newest decisions</a>", html, StringComparison.Ordinal);
            Assert.Empty(DecisionIds(html));
            AssertTokenNotShown(page, html);
        }
    }

    [Fact]
    public async Task Decisions_OlderLinkWithAnotherDigest_RefusedAsMadeForOtherFilters()
    {
        using var client = await fixture.SignedInAsync();
        var (_, first) = await client.GetAsync("/audit/decisions");
        var parts = PageParameter(OlderLink(first)!).Split(':');

        var (response, html) = await client.GetAsync("/audit/decisions?page=" + Uri.EscapeDataString($"f1:{new string('0', parts[1].Length)}:{parts[2]}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(DecisionListQuery.PageOfOtherFilters, html, StringComparison.Ordinal);
        Assert.Empty(DecisionIds(html));
    }

    /// <summary>The refusal never shows the token: neither as sent nor as the store's part of it.</summary>
    private static void AssertTokenNotShown(string token, string html)
    {
        var shown = WebUtility.HtmlDecode(html);
        var storePart = token.Split(':') is [_, _, var part] && part.Length >= 8 ? part : null;
        if (token.Length >= 8)
        {
            Assert.DoesNotContain(token, shown, StringComparison.Ordinal);
        }

        if (storePart is not null)
        {
            Assert.DoesNotContain(storePart, shown, StringComparison.Ordinal);
        }
    }

    private static List<string> DecisionIds(string html) =>
        [.. DecisionLink().Matches(html).Select(m => m.Groups[1].Value)];

    /// <summary>The "Older" link's address, decoded from the page's HTML; null on the last page.</summary>
    private static string? OlderLink(string html) =>
        OlderPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    /// <summary>The <c>page</c> parameter of <paramref name="link"/>, unescaped.</summary>
    private static string PageParameter(string link) =>
        Uri.UnescapeDataString(link[(link.IndexOf("page=", StringComparison.Ordinal) + "page=".Length)..]);

    [GeneratedRegex("<td><a href=\"/audit/decisions/([0-9a-f-]{36})\"")]
    private static partial Regex DecisionLink();

    [GeneratedRegex("<a href=\"([^\"]+)\" rel=\"next\">Older")]
    private static partial Regex OlderPattern();
}

/// <summary>
/// A host with the page on over a fresh trail of <see cref="Count"/> decisions, three to each minute of the host's
/// clock (so pages also end between decisions recorded at the same time): every third an infant with eczema
/// (SUITABLE_WITH_PRECAUTIONS), the rest infants (SUITABLE); every fourth asked by the clinical app's key, the rest by
/// the key holding every role.
/// </summary>
public sealed class PagedTrailHost : IAsyncLifetime
{
    /// <summary>Decisions recorded: more than two pages.</summary>
    public const int Count = (2 * DecisionListQuery.PageSize) + 11;

    private TestServerHost? _host;

    /// <summary>The decisions, oldest first.</summary>
    public IReadOnlyList<CheckResponse> Decisions { get; private set; } = [];

    public async Task InitializeAsync()
    {
        _host = await AuditPageHosts.StartAsync();
        await _host.SettledAsync();
        var clinical = new Protos.V1.SafetyCheck.SafetyCheckClient(_host.CreateChannel(TestCredentials.ClinicalAppKey));
        var decisions = new List<CheckResponse>();
        for (var i = 0; i < Count; i++)
        {
            var client = i % 4 == 3 ? clinical : _host.Client;
            var prefix = i % 4 == 3 ? "clinical-" : "all-";
            decisions.Add(await client.CheckAsync(i % 3 == 1 ? AuditRequests.Eczema($"{prefix}{i}") : AuditRequests.Infant($"{prefix}{i}")));
            if (i % 3 == 2)
            {
                _host.Clock.Advance(TimeSpan.FromMinutes(1));
            }
        }

        Decisions = decisions;
    }

    internal Task<PageClient> SignedInAsync() => AuditPageHosts.SignedInAsync(_host!);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
