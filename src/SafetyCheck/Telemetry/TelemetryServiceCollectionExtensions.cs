using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SafetyCheck.Core.Pipeline;
using SafetyCheck.Core.Telemetry;
using SafetyCheck.Hosting;

namespace SafetyCheck.Telemetry;

internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>The variable that switches OTLP export on; the exporter reads it and the other <c>OTEL_*</c> variables itself.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// <c>SafetyCheck:Telemetry</c>: the instruments (<see cref="SafetyCheckMetrics"/>) fed by the decision pipeline, the
    /// silent-rule alarm, and OpenTelemetry: metrics of the <c>SafetyCheck</c> meter and ASP.NET Core, spans of the
    /// <c>SafetyCheck</c> source and ASP.NET Core; exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and
    /// to the Prometheus scrape endpoint when <c>SafetyCheck:Telemetry:MetricsUrls</c> is set. With neither, no
    /// OpenTelemetry provider runs (tests add their own exporters through <see cref="AddSafetyCheckOpenTelemetry"/>).
    /// </summary>
    public static IServiceCollection AddSafetyCheckTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TelemetryOptions>().BindSection(TelemetryOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<SafetyCheckMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDecisionObserver, MetricsDecisionObserver>());
        services.TryAddSingleton<SilentRuleWatch>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDecisionObserver, SilentRuleWatch>(sp => sp.GetRequiredService<SilentRuleWatch>()));
        services.AddHostedService<SilentRuleResumption>();
        services.TryAddSingleton(_ => MetricsListener.FromConfiguration(configuration));

        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
        var scrape = MetricsListener.FromConfiguration(configuration).IsEnabled;
        if (!otlp && !scrape)
        {
            return services;
        }

        var builder = services.AddSafetyCheckOpenTelemetry(tracing: otlp);
        if (scrape)
        {
            builder.WithMetrics(metrics => metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        }

        if (otlp)
        {
            builder.UseOtlpExporter();
        }

        return services;
    }

    /// <summary>OpenTelemetry over the service's meter and activity source and ASP.NET Core's, without an exporter.</summary>
    public static IOpenTelemetryBuilder AddSafetyCheckOpenTelemetry(this IServiceCollection services, bool tracing)
    {
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("safetycheck", serviceVersion: typeof(TelemetryServiceCollectionExtensions).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics => metrics.AddMeter(SafetyCheckTelemetry.Name).AddAspNetCoreInstrumentation());
        if (tracing)
        {
            builder.WithTracing(traces => traces.AddSource(SafetyCheckTelemetry.Name).AddAspNetCoreInstrumentation());
        }

        return builder;
    }

    /// <summary>
    /// Serves <see cref="MetricsListener.Path"/> on the metrics addresses (and answers 404 to anything else there),
    /// ahead of every other middleware; does nothing when no metrics address is configured.
    /// </summary>
    public static IApplicationBuilder UseSafetyCheckMetricsEndpoint(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var listener = app.ApplicationServices.GetRequiredService<MetricsListener>();
        if (!listener.IsEnabled)
        {
            return app;
        }

        TelemetryLog.MetricsEndpoint(app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MetricsListener).FullName!), string.Join(", ", listener.Addresses.Urls));
        return app.MapWhen(listener.Addresses.Accepts, branch =>
        {
            branch.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == MetricsListener.Path);
            branch.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
    }
}
