using Microsoft.AspNetCore.Routing.Matching;

namespace SafetyCheck.AuditPage;

/// <summary>
/// Routing offers the page's endpoints (<see cref="AuditPageEndpointMetadata"/>) only to requests that arrived on a page
/// address (or on the in-memory test server, which has none). Elsewhere a path under <c>/audit</c> matches nothing of the
/// page, so it is answered as any path that names no gRPC method: by the service access rules (UNAUTHENTICATED without
/// credentials, PERMISSION_DENIED with them), never with a page, a cookie challenge or a bare 404 that would tell the
/// page is there.
/// </summary>
internal sealed class AuditPageMatcherPolicy(AuditPageListener listener) : MatcherPolicy, IEndpointSelectorPolicy
{
    /// <summary>Runs after the built-in policies (HTTP method, host, content type): it only removes candidates.</summary>
    public override int Order => 1000;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.Any(IsPage);
    }

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(candidates);
        if (listener.Accepts(httpContext) || httpContext.Connection.LocalIpAddress is null)
        {
            return Task.CompletedTask;
        }

        for (var i = 0; i < candidates.Count; i++)
        {
            if (IsPage(candidates[i].Endpoint))
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }

    private static bool IsPage(Endpoint endpoint) => endpoint.Metadata.GetMetadata<AuditPageEndpointMetadata>() is not null;
}
