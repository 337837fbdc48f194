namespace SafetyCheck.AuditPage;

/// <summary>Puts <see cref="AuditPageListenerMiddleware"/> first in the pipeline, ahead of everything the host adds.</summary>
internal sealed class AuditPageStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<AuditPageListenerMiddleware>();
        next(app);
    };
}
