using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace SafetyCheck.IntegrationTests.Audit;

/// <summary>Signs every request in as <paramref name="name"/>, standing in for the authentication layer.</summary>
public sealed class FakeCallerStartupFilter(string name) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], authenticationType: "test"));
            return nextMiddleware(context);
        });
        next(app);
    };
}
