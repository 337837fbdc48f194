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

        // A revision's decision count is a link whose text goes on, for screen readers, with " decisions on VERSION".
        Assert.Equal(2, Occurrences(before, ">20<span class=\"visually-hidden\"> decisions on "));
        Assert.Equal(1, Occurrences(after, ">20<span class=\"visually-hidden\"> decisions on "));
        Assert.Equal(1, Occurrences(after, ">23<span class=\"visually-hidden\"> decisions on "));
    }

    private static int Occurrences(string html, string text) => (html.Length - html.Replace(text, "", StringComparison.Ordinal).Length) / text.Length;
}
