namespace SafetyCheck.AuditPage;

/// <summary>
/// Runs first, before routing and authentication. On a page address only the page is served (<c>/</c> leads to it,
/// anything else is 404); on the gRPC and health addresses the page is 404. Every page response gets the security
/// headers (<see cref="AuditPageHeaders"/>).
/// </summary>
internal sealed class AuditPageListenerMiddleware(RequestDelegate next, AuditPageListener listener)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var isPage = context.Request.Path.StartsWithSegments(AuditPageSchemes.Root, StringComparison.Ordinal);
        var onPageAddress = listener.Accepts(context);
        if (onPageAddress && !isPage)
        {
            AuditPageHeaders.Apply(context.Response);
            if (context.Request.Path == "/" && HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.Redirect(AuditPageSchemes.Root + "/");
                return Task.CompletedTask;
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        // The in-memory test server has no address: it serves both, as one host.
        if (isPage && !onPageAddress && context.Connection.LocalIpAddress is not null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        if (isPage)
        {
            AuditPageHeaders.Apply(context.Response);
        }

        return next(context);
    }
}
