using SafetyCheck.IntegrationTests.Audit;

namespace SafetyCheck.IntegrationTests.AuditPage;

/// <summary>The Revisions page over counts kept between requests: decisions made after it was shown are counted on the next.</summary>
public sealed class AuditPageSummaryTests(TwoRevisionTrail trail) : IClassFixture<TwoRevisionTrail>
{
    [Fact]
    public async Task Revisions_DecisionsMadeAfterTheFirstRequest_AreCountedOnTheNext()
    {
        using var copy = trail.Copy();
        await using var host = await AuditPageHosts.StartAsync(copy.DatabasePath);
        using var client = await AuditPageHosts.SignedInAsync(host);
        var (_, before) = await client.GetAsync("/audit/revisions");

        for (var i = 0; i < 3; i++)
        {
            await host.Client.CheckAsync(AuditRequests.Infant($"later-{i}"));
        }

        var (_, after) = await client.GetAsync("/audit/revisions");

        Assert.Equal(2, Occurrences(before, ">20</a>"));
        Assert.Equal(1, Occurrences(after, ">20</a>"));
        Assert.Equal(1, Occurrences(after, ">23</a>"));
    }

    private static int Occurrences(string html, string text) => (html.Length - html.Replace(text, "", StringComparison.Ordinal).Length) / text.Length;
}
