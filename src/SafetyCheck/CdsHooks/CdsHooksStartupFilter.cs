namespace SafetyCheck.CdsHooks;

/// <summary>
/// Puts the CDS Hooks service first in the pipeline, ahead of everything the host adds (gRPC authentication, rate
/// limits): on a CDS Hooks address every request goes to the service's own branch (CORS, then
/// <see cref="CdsHooksHandler"/>), which has its own authentication; elsewhere <c>/cds-services</c> is 404. The
/// in-memory test server has no address: it serves <c>/cds-services</c> as if it were one.
/// </summary>
internal sealed class CdsHooksStartupFilter(CdsHooksListener listener) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.MapWhen(
            context => listener.Accepts(context) || (context.Connection.LocalIpAddress is null && IsCdsPath(context)),
            branch =>
            {
                branch.UseCors(CdsHooksServiceCollectionExtensions.CorsPolicy);
                branch.Run(context => context.RequestServices.GetRequiredService<CdsHooksHandler>().HandleAsync(context));
            });
        app.Use(next => context =>
        {
            if (IsCdsPath(context))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
        next(app);
    };

    private static bool IsCdsPath(HttpContext context) => context.Request.Path.StartsWithSegments(CdsHooksHandler.Root, StringComparison.Ordinal);
}
