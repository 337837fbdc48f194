namespace SafetyCheck.CdsHooks;

/// <summary>
/// Puts the CDS Hooks service first in the pipeline, ahead of everything the host adds (gRPC authentication, rate
/// limits): on a CDS Hooks address every request goes to the service's own branch (CORS, then
/// <see cref="CdsHooksHandler"/>), which has its own authentication. Elsewhere <c>/cds-services</c> is not served: on a
/// gRPC address it is answered as any path that is not a method (the access checks refuse it), as the auditor's page
/// paths are. The in-memory test server has no address: it serves <c>/cds-services</c> as if it were one.
/// </summary>
internal sealed class CdsHooksStartupFilter(CdsHooksListener listener) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.MapWhen(
            context => listener.Accepts(context) || (context.Connection.LocalIpAddress is null && IsCdsPath(context)),
            branch =>
            {
                // Answers differ by Origin (CORS headers for an allowed one, none otherwise): a shared cache must
                // not serve one origin's answer to another.
                branch.Use((context, next) =>
                {
                    context.Response.OnStarting(() =>
                    {
                        if (!context.Response.Headers.Vary.Any(v => v is not null && v.Split(',').Any(p => p.Trim().Equals("Origin", StringComparison.OrdinalIgnoreCase))))
                        {
                            context.Response.Headers.Append("Vary", "Origin");
                        }

                        return Task.CompletedTask;
                    });
                    return next(context);
                });
                branch.UseCors(CdsHooksServiceCollectionExtensions.CorsPolicy);
                branch.Run(context => context.RequestServices.GetRequiredService<CdsHooksHandler>().HandleAsync(context));
            });
        next(app);
    };

    private static bool IsCdsPath(HttpContext context) => context.Request.Path.StartsWithSegments(CdsHooksHandler.Root, StringComparison.Ordinal);
}
