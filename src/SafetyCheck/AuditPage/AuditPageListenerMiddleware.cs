namespace SafetyCheck.AuditPage;

/// <summary>
/// Runs first, before routing and authentication. On a page address only the page is served (<c>/</c> leads to it,
/// anything else is 404). On the gRPC addresses a page path is answered as any path that names no gRPC method (the page's
/// routes are not matched there: <see cref="AuditPageMatcherPolicy"/>). Every page response gets the security headers
/// (<see cref="AuditPageHeaders"/>).
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

        // Elsewhere a page path goes on like any other: routing offers the page's endpoints on its addresses only
        // (AuditPageMatcherPolicy), so there it is judged by the service access rules. The in-memory test server has no
        // address: it serves both, as one host.
        if (isPage && (onPageAddress || context.Connection.LocalIpAddress is null))
        {
            AuditPageHeaders.Apply(context.Response);
        }

        return next(context);
    }
}
