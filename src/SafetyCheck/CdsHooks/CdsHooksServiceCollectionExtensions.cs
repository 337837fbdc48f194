using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SafetyCheck.Hosting;

namespace SafetyCheck.CdsHooks;

internal static class CdsHooksServiceCollectionExtensions
{
    /// <summary>The CORS policy of the service's branch.</summary>
    public const string CorsPolicy = "SafetyCheck.CdsHooks";

    /// <summary>
    /// The CDS Hooks service (<c>SafetyCheck:CdsHooks</c>), when it has addresses: its listener, token checks (issuer
    /// keys, replay cache), the per-issuer limits, the HTTP client for the EHR's servers, CORS for the configured origins, cards, feedback, and
    /// the startup filter that gives its addresses their own branch. Without addresses only the (empty) listener and
    /// the options' validation are registered.
    /// </summary>
    public static IServiceCollection AddSafetyCheckCdsHooks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CdsHooksOptions>().BindSection(CdsHooksOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CdsHooksOptions>, CdsHooksOptionsValidator>());
        services.TryAddSingleton(sp => CdsHooksListener.Parse(sp.GetRequiredService<IOptions<CdsHooksOptions>>().Value.Urls));
        var configured = SettingsBinding.Read<CdsHooksOptions>(configuration, CdsHooksOptions.Section);
        if (!CdsHooksListener.Parse(configured.Urls).IsEnabled)
        {
            return services;
        }

        // The factory's own logging writes each request's URL, and a FHIR search URL names the patient: it is removed.
        services.AddHttpClient(FhirHttp.ClientName)
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .ConfigureHttpClient((sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<CdsHooksOptions>>().Value;
                client.MaxResponseContentBufferSize = options.MaxFhirResponseBytes;

                // Each request has its own, shorter timeout (FhirHttp); this only bounds a stuck connection.
                client.Timeout = TimeSpan.FromSeconds(options.FhirTimeoutSeconds * 2);
            });
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy =>
        {
            if (configured.AllowedOrigins.Count > 0)
            {
                policy.WithOrigins([.. configured.AllowedOrigins]).WithMethods("GET", "POST").WithHeaders("Authorization", "Content-Type")
                    .WithExposedHeaders("Retry-After")
                    .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
            }
        }));
        services.TryAddSingleton<TokenReplayCache>();
        services.TryAddSingleton<FhirHttp>();
        services.TryAddSingleton<IssuerKeys>();
        services.TryAddSingleton<CdsTokenVerifier>();
        services.TryAddSingleton<PatientDataSource>();
        services.TryAddSingleton<CdsCards>();
        services.TryAddSingleton<FeedbackRecorder>();
        services.TryAddSingleton<CdsCallLimiter>();
        services.TryAddSingleton<CdsHooksHandler>();
        services.AddHostedService<CdsHooksAnnouncement>();
        services.AddSingleton<IStartupFilter, CdsHooksStartupFilter>();
        return services;
    }
}
