using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SafetyCheck.Hosting;

namespace SafetyCheck.Limits;

internal static class LimitsServiceCollectionExtensions
{
    /// <summary>
    /// <c>SafetyCheck:Limits</c>: message size, concurrent calls and their queue, per-caller rate, connections and
    /// streams, the per-address connection cap and the health listener, and the shutdown grace period (Kestrel's
    /// side is applied by the host's Kestrel setup). Call after the gRPC services are added, so that the error-mapping
    /// interceptor stays outermost.
    /// </summary>
    public static IServiceCollection AddSafetyCheckLimits(this IServiceCollection services)
    {
        services.AddOptions<LimitsOptions>().BindSection(LimitsOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>());
        services.TryAddSingleton<CallConcurrencyLimiter>();
        services.TryAddSingleton<ConcurrencyLimitInterceptor>();
        services.TryAddSingleton(sp => HealthListener.Parse(sp.GetRequiredService<IOptions<LimitsOptions>>().Value.HealthUrls));
        services.TryAddSingleton<ConnectionsPerAddressLimiter>();
        services.TryAddSingleton<CallRefusals>();

        services.AddOptions<GrpcServiceOptions>().Configure<IOptions<LimitsOptions>>((grpc, limits) =>
        {
            grpc.MaxReceiveMessageSize = limits.Value.MaxReceiveMessageSize;
            grpc.Interceptors.Add<ConcurrencyLimitInterceptor>();
        });

        // The host reads HostOptions while it is built, before options are validated at start: take the raw setting
        // here, and leave a bad one to the validator.
        services.AddOptions<HostOptions>().Configure<IConfiguration>((host, configuration) =>
        {
            var seconds = new LimitsOptions().ShutdownTimeoutSeconds;
            var configured = configuration[$"{LimitsOptions.Section}:{nameof(LimitsOptions.ShutdownTimeoutSeconds)}"];
            if (configured is null || (int.TryParse(configured, System.Globalization.CultureInfo.InvariantCulture, out seconds) && seconds >= 0))
            {
                host.ShutdownTimeout = TimeSpan.FromSeconds(seconds);
            }
        });

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<LimitsOptions>, CallRefusals>((rateLimiter, limits, refusals) =>
        {
            rateLimiter.GlobalLimiter = CallerRateLimiter.Create(limits.Value);
            rateLimiter.OnRejected = (rejected, _) => CallerRateLimiter.OnRejected(rejected, limits.Value, refusals);
        });
        return services;
    }
}
