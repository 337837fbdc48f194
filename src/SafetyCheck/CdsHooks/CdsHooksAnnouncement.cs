namespace SafetyCheck.CdsHooks;

/// <summary>Logs once, at start, where the CDS Hooks service listens, its discovery URL, and whom it trusts.</summary>
internal sealed class CdsHooksAnnouncement(CdsHooksListener listener, CdsHooksHandler handler, IOptions<CdsHooksOptions> options, ILogger<CdsHooksAnnouncement> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        CdsHooksLog.Listening(log, CdsServices.All.Count, string.Join(", ", listener.Urls), handler.BaseUrl + CdsHooksHandler.Root,
            settings.Issuers.Count, settings.AllowedOrigins.Count == 0 ? "none" : string.Join(", ", settings.AllowedOrigins));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
