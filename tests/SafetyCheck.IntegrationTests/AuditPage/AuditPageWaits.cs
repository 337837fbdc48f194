namespace SafetyCheck.IntegrationTests.AuditPage;

/// <summary>Waiting for what the page does in the background.</summary>
public static class AuditPageWaits
{
    /// <summary>Reads a verification's page until it has finished (up to a minute); returns the finished page.</summary>
    public static async Task<string> FinishedVerificationAsync(PageClient client, string page)
    {
        ArgumentNullException.ThrowIfNull(client);
        for (var i = 0; i < 600; i++)
        {
            var (_, html) = await client.GetAsync(page);
            if (!html.Contains("data-status-url", StringComparison.Ordinal))
            {
                return html;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the verification did not finish within a minute");
    }
}
