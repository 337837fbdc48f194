using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SafetyCheck.Hosting;

namespace SafetyCheck.Security;

internal static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Access control from <c>SafetyCheck:Authentication</c>: API keys, JWT bearer tokens and client certificates behind
    /// one default scheme, and authorization by gRPC service name (<see cref="ServiceAccess"/>) for every endpoint.
    /// </summary>
    public static IServiceCollection AddSafetyCheckSecurity(this IServiceCollection services)
    {
        services.AddOptions<CredentialsOptions>().BindSection(CredentialsOptions.Section, showValue: false).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CredentialsOptions>, CredentialsOptionsValidator>());
        services.TryAddSingleton<ApiKeyRegistry>();
        services.TryAddSingleton<CredentialSelector>();
        services.TryAddSingleton<CredentialsGuard>();
        services.TryAddSingleton<CredentialRefusals>();
        services.AddHostedService(sp => sp.GetRequiredService<CredentialsGuard>());

        services.AddAuthentication(SecuritySchemes.Default)
            .AddPolicyScheme(SecuritySchemes.Default, "API key, JWT or client certificate", o =>
                o.ForwardDefaultSelector = context => context.RequestServices.GetRequiredService<CredentialSelector>().Select(context))
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(SecuritySchemes.ApiKey, configureOptions: null)
            .AddJwtBearer(SecuritySchemes.Jwt)
            .AddCertificate(SecuritySchemes.Certificate);
        services.AddOptions<JwtBearerOptions>(SecuritySchemes.Jwt)
            .Configure<IOptions<CredentialsOptions>, TimeProvider, CredentialRefusals>((bearer, credentials, clock, refusals) =>
                JwtSetup.Configure(bearer, credentials.Value.Jwt, clock, refusals));
        services.AddOptions<CertificateAuthenticationOptions>(SecuritySchemes.Certificate)
            .Configure<IOptions<CredentialsOptions>>((scheme, credentials) => ClientCertificateSetup.Configure(scheme, credentials.Value.ClientCertificates));

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, GrpcServiceAccessHandler>());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();
        services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().AddRequirements(GrpcServiceAccessRequirement.Instance).Build());

        return services;
    }

    /// <summary>Authentication, then the per-caller rate limit (which needs the caller's name), then authorization.</summary>
    public static IApplicationBuilder UseSafetyCheckSecurity(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseAuthentication().UseRateLimiter().UseAuthorization();
    }
}
