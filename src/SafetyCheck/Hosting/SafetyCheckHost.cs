using Microsoft.AspNetCore.Server.Kestrel.Core;
using SafetyCheck.Audit;
using SafetyCheck.AuditPage;
using SafetyCheck.CdsHooks;
using SafetyCheck.Check;
using SafetyCheck.Cli;
using SafetyCheck.Grpc;
using SafetyCheck.Limits;
using SafetyCheck.RuleSets;
using SafetyCheck.Security;
using SafetyCheck.Telemetry;

namespace SafetyCheck.Hosting;

/// <summary>
/// The one host builder behind <c>serve</c> and the integration tests (which swap in a test server): gRPC over
/// HTTP/2 cleartext, loopback by default, configuration next to the executable.
/// </summary>
internal static class SafetyCheckHost
{
    /// <summary>The address when neither <c>--urls</c>, ASPNETCORE_URLS, <c>Urls</c> nor Kestrel endpoints are configured.</summary>
    public const string DefaultUrl = ServeCommand.DefaultUrl;

    /// <summary>The names of the health and page endpoints added to <c>Kestrel:Endpoints</c>, numbered from 0.</summary>
    private const string HealthEndpointName = "SafetyCheckHealth";

    private const string AuditPageEndpointName = "SafetyCheckAuditPage";

    /// <summary>The names of the CDS Hooks endpoints added to <c>Kestrel:Endpoints</c>, numbered from 0.</summary>
    private const string CdsHooksEndpointName = "SafetyCheckCdsHooks";

    /// <summary>Creates the builder; <paramref name="args"/> are ASP.NET configuration arguments (<c>--Key=value</c>).</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args, SafetyCheckHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(SafetyCheckHost).Assembly.GetName().Name,

            // appsettings.json is found next to the executable wherever it is started from.
            ContentRootPath = AppContext.BaseDirectory,
        });

        options.RulesDirectory = RulesDirectory.Resolve(options.RulesDirectory, builder.Configuration);

        builder.Logging.ClearProviders();
        builder.Logging.AddSafetyCheckConsole();

        // An unhealthy probe is logged at Error on every call while no rule set is served; the load failure itself
        // is logged once by the rule-set provider, so keep the probes quiet.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.Critical);

        // grpc-dotnet logs a caller's undecodable body as an error with a stack trace, twice. The error-mapping
        // interceptor and the undecodable-request middleware log every call's failure instead: one line for a
        // caller's error, the exception for a fault of the service.
        builder.Logging.AddFilter("Grpc.AspNetCore.Server.ServerCallHandler", LogLevel.None);

        // The host logs a failure to start as an error with the exception's stack trace; serve reports it as one line
        // naming the cause instead. A background service that fails later is still logged (at Critical, with it).
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

        // The JWT handler logs a refused token with a stack trace; JwtSetup logs the reason as one line instead.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerHandler", LogLevel.Warning);

        // ASP.NET logs every refused API key (two lines a call); CredentialRefusals logs them at most once per interval.
        builder.Logging.AddFilter(typeof(ApiKeyAuthenticationHandler).FullName, LogLevel.Warning);

        ConfigureAddresses(builder, options);
        builder.Services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelSetup>();
        builder.Services.AddSafetyCheckGrpc(options);
        builder.Services.AddSafetyCheckLimits().AddSafetyCheckSecurity();
        builder.Services.AddSafetyCheckAuditPage(builder.Configuration);
        builder.Services.AddSafetyCheckCdsHooks(builder.Configuration);
        builder.Services.AddSafetyCheckTelemetry(builder.Configuration);
        return builder;
    }

    /// <summary>Builds the application and maps its middleware and gRPC services.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        app.UseSafetyCheckMetricsEndpoint();
        app.UseMiddleware<HealthListenerMiddleware>();
        app.UseRouting();
        app.UseMiddleware<UndecodableRequestMiddleware>();
        app.UseSafetyCheckSecurity();
        app.MapGrpcService<SafetyCheckService>();
        app.MapGrpcService<AuditService>();
        app.MapGrpcService<RuleAdminService>();
        app.MapGrpcService<HealthService>();
        app.MapGrpcReflectionService();
        app.MapSafetyCheckAuditPage();
        return app;
    }

    /// <summary>
    /// The listen addresses: <c>--urls</c>, else ASP.NET's configuration, else <see cref="DefaultUrl"/>; and the
    /// health addresses (<see cref="LimitsOptions.HealthUrls"/>), the metrics addresses
    /// (<see cref="TelemetryOptions.MetricsUrls"/>), the auditor's page addresses (<see cref="AuditPageOptions.Urls"/>)
    /// and the CDS Hooks addresses (<see cref="CdsHooksOptions.Urls"/>) added the same way as the others are given,
    /// since Kestrel binds either its configured endpoints or the URLs, never both.
    /// </summary>
    private static void ConfigureAddresses(WebApplicationBuilder builder, SafetyCheckHostOptions options)
    {
        var configuration = builder.Configuration;
        IReadOnlyList<string> health =
        [
            .. HealthListener.Parse(configuration[$"{LimitsOptions.Section}:{nameof(LimitsOptions.HealthUrls)}"]).Urls,
            .. MetricsListener.FromConfiguration(configuration).Addresses.Urls,
        ];
        var page = AuditPageListener.Parse(configuration[$"{AuditPageOptions.Section}:{nameof(AuditPageOptions.Urls)}"]).Urls;
        var cdsHooks = CdsHooksListener.Parse(configuration[$"{CdsHooksOptions.Section}:{nameof(CdsHooksOptions.Urls)}"]).Urls;
        var flag = !string.IsNullOrWhiteSpace(options.Urls);
        if (!flag && configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            configuration.AddInMemoryCollection([
                .. health.Select((url, i) => KeyValuePair.Create<string, string?>($"Kestrel:Endpoints:{HealthEndpointName}{i}:Url", url)),
                .. page.Select((url, i) => KeyValuePair.Create<string, string?>($"Kestrel:Endpoints:{AuditPageEndpointName}{i}:Url", url)),
                .. cdsHooks.Select((url, i) => KeyValuePair.Create<string, string?>($"Kestrel:Endpoints:{CdsHooksEndpointName}{i}:Url", url)),
            ]);
            return;
        }

        // ASP.NET binds the URLs when given, else HTTP_PORTS and HTTPS_PORTS.
        IReadOnlyList<string> configured = !string.IsNullOrWhiteSpace(configuration["urls"]) ? [configuration["urls"]!] : ListenAddresses.FromConfiguration(configuration);
        if (!flag && health.Count == 0 && page.Count == 0 && cdsHooks.Count == 0 && configured.Count > 0)
        {
            return;
        }

        string[] urls = flag ? [options.Urls!] : configured.Count > 0 ? [.. configured] : [DefaultUrl];
        builder.WebHost.UseUrls(string.Join(';', [.. urls, .. health, .. page, .. cdsHooks]));
    }
}
