namespace SafetyCheck.AuditPage;

/// <summary>Says at start where the auditor's page is served and how auditors sign in.</summary>
internal sealed class AuditPageAnnouncement(AuditPageListener listener, IOptions<AuditPageOptions> options, ILogger<AuditPageAnnouncement> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        AuditPageLog.Serving(log, string.Join(", ", listener.Urls.Select(u => u.TrimEnd('/') + AuditPageSchemes.Root + "/")),
            options.Value.OpenIdConnect.IsConfigured ? " and the OpenID Connect issuer" : "");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
