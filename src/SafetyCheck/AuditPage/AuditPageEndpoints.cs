using SafetyCheck.Audit.Storage;

namespace SafetyCheck.AuditPage;

/// <summary>
/// The routes of the page under <c>/audit</c>. Everything but sign-in and the page's own files needs the session cookie
/// of an auditor (<see cref="AuditPageSchemes.Policy"/>); bearer credentials are not accepted here. Every form that
/// changes something (sign-in, sign-out, replay, verify) is a POST with an anti-forgery token. A store that cannot be
/// read gives 503 with a page that says so. Every route is marked as the page's, and matched on the page's addresses only
/// (<see cref="AuditPageMatcherPolicy"/>).
/// </summary>
internal static class AuditPageEndpoints
{
    public static void Map(WebApplication app)
    {
        var open = app.MapGroup(AuditPageSchemes.Root).WithMetadata(AuditPageEndpointMetadata.Instance).AllowAnonymous();
        open.MapGet("/signin", SignInEndpoints.ShowAsync);
        open.MapPost("/signin", SignInEndpoints.SignInAsync);
        open.MapGet("/signin/oidc", SignInEndpoints.SignInWithIssuer);
        open.MapGet("/assets/{name}", AssetEndpoints.Get);

        var pages = app.MapGroup(AuditPageSchemes.Root).WithMetadata(AuditPageEndpointMetadata.Instance).RequireAuthorization(AuditPageSchemes.Policy).AddEndpointFilter(StoreUnavailableAsync);
        pages.MapGet("/", () => Results.Redirect(AuditPageSchemes.Root + "/decisions"));
        pages.MapPost("/signout", SignInEndpoints.SignOutAsync);
        pages.MapGet("/decisions", DecisionEndpoints.ListAsync);
        pages.MapGet("/decisions/{id}", DecisionEndpoints.ShowAsync);
        pages.MapPost("/decisions/{id}/replay", DecisionEndpoints.ReplayAsync);
        pages.MapGet("/entries/{id}", DecisionEndpoints.ShowEntryAsync);
        pages.MapGet("/trail", TrailEndpoints.ShowAsync);
        pages.MapPost("/trail/verify", TrailEndpoints.VerifyAsync);
        pages.MapGet("/trail/verifications/{id}", TrailEndpoints.ProgressAsync);
        pages.MapGet("/trail/verifications/{id}/status", TrailEndpoints.Status);
        pages.MapGet("/revisions", RevisionEndpoints.ListAsync);
        pages.MapGet("/revisions/compare", RevisionEndpoints.CompareAsync);
        pages.MapGet("/revisions/{revision}", RevisionEndpoints.ShowAsync);
        pages.MapGet("/pictures", PictureEndpoints.ShowAsync);
        pages.MapFallback("/{**path}", (HttpContext context) => AuditPageResults.Message(
            context, "", "No such page", StatusCodes.Status404NotFound, "The auditor's page has no page at that address."));
    }

    private static async ValueTask<object?> StoreUnavailableAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        try
        {
            return await next(invocation).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuditStoreUnavailableException or ObjectDisposedException)
        {
            var context = invocation.HttpContext;
            AuditPageLog.StoreUnreadable(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditPageLog).FullName!), ex);
            return AuditPageResults.Message(context, "", "The audit store cannot be read", StatusCodes.Status503ServiceUnavailable,
                "The audit store cannot be read right now; the service's log says why. Try again in a moment.");
        }
    }
}
