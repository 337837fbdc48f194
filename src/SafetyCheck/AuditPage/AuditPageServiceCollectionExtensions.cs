using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SafetyCheck.Hosting;
using SafetyCheck.Security;

namespace SafetyCheck.AuditPage;

internal static class AuditPageServiceCollectionExtensions
{
    /// <summary>
    /// The auditor's page (<c>SafetyCheck:AuditPage</c>), when it has addresses: its listener, sign-in with API keys (and
    /// the OpenID Connect issuer when configured) into a session cookie, anti-forgery tokens, the pages' services, and
    /// the middleware that keeps the page and the gRPC listeners apart. Without addresses only the (empty) listener
    /// and the options' validation are registered.
    /// </summary>
    public static IServiceCollection AddSafetyCheckAuditPage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AuditPageOptions>().BindSection(AuditPageOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditPageOptions>, AuditPageOptionsValidator>());
        services.TryAddSingleton(sp => AuditPageListener.Parse(sp.GetRequiredService<IOptions<AuditPageOptions>>().Value.Urls));

        // Which schemes exist is decided here, from configuration: the OpenID Connect handler runs on every request.
        var page = SettingsBinding.Read<AuditPageOptions>(configuration, AuditPageOptions.Section);
        if (!AuditPageListener.Parse(page.Urls).IsEnabled)
        {
            return services;
        }

        services.AddRazorComponents();

        // Session cookies and form tokens are protected with keys held in memory: a restart ends every session.
        services.AddDataProtection().SetApplicationName("SafetyCheck.AuditPage").UseEphemeralDataProtectionProvider();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = AuditPageSchemes.AntiforgeryCookieName;
            o.Cookie.Path = AuditPageSchemes.Root;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.HeaderName = null;

            // The page sets X-Frame-Options: DENY itself (AuditPageHeaders).
            o.SuppressXFrameOptionsHeader = true;
        });

        var authentication = services.AddAuthentication().AddCookie(AuditPageSchemes.Cookie);
        services.AddOptions<CookieAuthenticationOptions>(AuditPageSchemes.Cookie)
            .Configure<IOptions<AuditPageOptions>, TimeProvider, AuditPageSessions>((cookie, options, clock, sessions) => AuditPageCookieSetup.Configure(cookie, options.Value, clock, sessions));
        if (page.OpenIdConnect.IsConfigured)
        {
            authentication.AddOpenIdConnect(AuditPageSchemes.OpenIdConnect, "OpenID Connect", _ => { });
            services.AddOptions<OpenIdConnectOptions>(AuditPageSchemes.OpenIdConnect)
                .Configure<IOptions<AuditPageOptions>, IOptions<CredentialsOptions>, TimeProvider, ILoggerFactory>((oidc, options, credentials, clock, loggers) =>
                    AuditPageOpenIdConnectSetup.Configure(oidc, options.Value.OpenIdConnect, credentials.Value.Jwt, clock, loggers.CreateLogger(typeof(AuditPageLog).FullName!)));
        }

        services.AddAuthorizationBuilder().AddPolicy(AuditPageSchemes.Policy, policy => policy
            .AddAuthenticationSchemes(AuditPageSchemes.Cookie)
            .RequireAuthenticatedUser()
            .RequireRole(SafetyCheckRoles.Auditor));

        services.TryAddSingleton<SignInThrottle>();
        services.TryAddSingleton<AuditPageSessions>();
        services.TryAddSingleton<CheckpointFolder>();
        services.TryAddSingleton<VerificationJobs>();
        services.TryAddSingleton<AuditPageData>();
        services.AddHostedService<AuditPageAnnouncement>();
        services.AddHostedService<SummaryWarmUp>();
        services.AddSingleton<IStartupFilter, AuditPageStartupFilter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, AuditPageMatcherPolicy>());
        return services;
    }

    /// <summary>Maps the page's routes under <c>/audit</c> when the page has addresses.</summary>
    public static WebApplication MapSafetyCheckAuditPage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<AuditPageListener>().IsEnabled)
        {
            AuditPageEndpoints.Map(app);
        }

        return app;
    }
}
