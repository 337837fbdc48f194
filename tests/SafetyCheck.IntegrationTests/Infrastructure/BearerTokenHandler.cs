using System.Net.Http.Headers;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>Adds <c>authorization: Bearer TOKEN</c> to every request that has no authorization header yet.</summary>
public sealed class BearerTokenHandler(string? token, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (token is not null && request.Headers.Authorization is null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
