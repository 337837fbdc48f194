using System.Data.Common;
using System.Diagnostics;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.AuditPage;

/// <summary>
/// Counts the trail for the Revisions and Pictures pages once, in the background, when <c>serve</c> has started with the
/// page on, so the first auditor to open them does not wait for the whole trail to be read; afterwards each request
/// counts only what was appended since (<see cref="Audit.Summaries.SummaryCache"/>). A store that cannot be read (its
/// driver's own errors included) is logged and left to the pages, which report it on their next request: the warm-up
/// never stops the service.
/// </summary>
internal sealed class SummaryWarmUp(AuditPageData data, IHostApplicationLifetime lifetime, ILogger<SummaryWarmUp> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (data.SummaryCache is not { } cache)
        {
            return;
        }

        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var since = Stopwatch.GetTimestamp();
        try
        {
            await cache.RefreshAsync(stoppingToken).ConfigureAwait(false);
            AuditPageLog.SummariesCounted(log, cache.Decisions, (long)Stopwatch.GetElapsedTime(since).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // serve is stopping.
        }
        catch (Exception ex) when (ex is AuditStoreUnavailableException or DbException or IOException or InvalidDataException)
        {
            AuditPageLog.SummariesUncounted(log, ex);
        }
    }
}
