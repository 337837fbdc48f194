using Grpc.Core;
using Grpc.Health.V1;
using SafetyCheck.RuleSets;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace SafetyCheck.Grpc;

/// <summary>
/// <c>grpc.health.v1.Health</c> for the whole server (<c>""</c>) and for <c>safetycheck.v1.SafetyCheck</c>, both from the
/// health checks tagged <see cref="RuleSetHealthCheck.Tag"/> (the rule set, the audit trail), run when asked. Check runs
/// them on each call. Watch runs them when the stream opens and then every <see cref="WatchPeriod"/> for that stream,
/// and sends a message when the status differs from the last one it sent: what a watcher sees is always what Check
/// would have answered at that moment, never a snapshot taken before the stream opened. Streams share their runs
/// (<see cref="HealthRuns"/>): however many watch, the checks run about once a second. When the host stops, every
/// stream is sent <c>NOT_SERVING</c> and ends, so that clients move to another instance.
/// </summary>
/// <remarks>
/// The framework's health service answers Watch from a cache filled by a background run while its first message is
/// computed live; when the cache was stale at that moment (the first run saw the rule set still loading), a later
/// failure changed nothing in the cache and was never sent. Here each stream compares with what it sent itself.
/// </remarks>
internal sealed class HealthService(HealthRuns runs, IHostApplicationLifetime lifetime) : Health.HealthBase
{
    /// <summary>How often a Watch stream runs the checks again.</summary>
    public static readonly TimeSpan WatchPeriod = TimeSpan.FromSeconds(1);

    private static readonly string[] KnownServices = ["", Protos.V1.SafetyCheck.Descriptor.FullName];

    public override async Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (!IsKnown(request.Service))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"No health is kept for service '{request.Service}'; ask for \"\" or {Protos.V1.SafetyCheck.Descriptor.FullName}."));
        }

        return new HealthCheckResponse { Status = await runs.RunAsync(context.CancellationToken).ConfigureAwait(false) };
    }

    public override async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var known = IsKnown(request.Service);
        try
        {
            // An unknown service is SERVICE_UNKNOWN and the stream stays open, as the protocol asks.
            var sent = known ? await runs.LatestAsync(WatchPeriod / 2).WaitAsync(ended.Token).ConfigureAwait(false) : ServingStatus.ServiceUnknown;
            await responseStream.WriteAsync(new HealthCheckResponse { Status = sent }, ended.Token).ConfigureAwait(false);
            while (true)
            {
                await Task.Delay(WatchPeriod, ended.Token).ConfigureAwait(false);
                if (!known)
                {
                    continue;
                }

                var status = await runs.LatestAsync(WatchPeriod / 2).WaitAsync(ended.Token).ConfigureAwait(false);
                if (status != sent)
                {
                    await responseStream.WriteAsync(new HealthCheckResponse { Status = status }, ended.Token).ConfigureAwait(false);
                    sent = status;
                }
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            await responseStream.WriteAsync(new HealthCheckResponse { Status = ServingStatus.NotServing }, context.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The watcher went away.
        }
    }

    private static bool IsKnown(string service) => Array.IndexOf(KnownServices, service) >= 0;
}
