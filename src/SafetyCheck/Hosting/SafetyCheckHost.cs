using Microsoft.AspNetCore.Server.Kestrel.Core;
using SafetyCheck.Audit;
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

        // Cleartext HTTP/2 only: with Http1AndHttp2 and no TLS, Kestrel would speak HTTP/1.1 and gRPC would fail.
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.Protocols = HttpProtocols.Http2));
        if (!string.IsNullOrWhiteSpace(options.Urls))
        {
            builder.WebHost.UseUrls(options.Urls);
        }
        else if (!HasConfiguredAddress(builder.Configuration))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddSafetyCheckGrpc(options);
        builder.Services.AddSafetyCheckLimits().AddSafetyCheckSecurity();
        return builder;
    }

    /// <summary>Builds the application and maps its middleware and gRPC services.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        app.UseRouting();
        app.UseMiddleware<UndecodableRequestMiddleware>();
        app.UseSafetyCheckSecurity();
        app.MapGrpcService<SafetyCheckService>();
        app.MapGrpcService<AuditService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }

    private static bool HasConfiguredAddress(ConfigurationManager configuration) =>
        !string.IsNullOrWhiteSpace(configuration["urls"])
        || !string.IsNullOrWhiteSpace(configuration["http_ports"])
        || !string.IsNullOrWhiteSpace(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
}
