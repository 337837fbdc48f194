using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Verification;

namespace SafetyCheck.Audit;

/// <summary>
/// The full verification the service runs in the background once it has started: the whole chain from sequence 1 and
/// the archive (<see cref="AuditVerifier"/>), up to the head when it starts. Passing, it records that head as the
/// store's verified point, so the next start verifies only what came after. Failing, it refuses the chain (the writer
/// appends nothing more, health reports NOT_SERVING with the reason) and, for <c>serve</c>
/// (<see cref="AuditVerificationOptions.StopWhenChainBroken"/>), stops the host so that it exits 1. The result is
/// logged and reported by health.
/// </summary>
internal sealed class AuditChainVerification(
    IAuditReader reader,
    AuditChainWriter writer,
    AuditVerificationOptions options,
    IHostApplicationLifetime lifetime,
    ILogger<AuditChainVerification> log) : BackgroundService
{
    private volatile VerificationReport? _result;
    private volatile string? _notRun;

    /// <summary>The result once the verification has finished; null while it runs (or when it could not run).</summary>
    public VerificationReport? Result => _result;

    /// <summary>For health: what the full verification found so far, in a few words.</summary>
    public string Status => _result is { } result
        ? result.IsValid ? "full verification passed" : "full verification failed: " + result.Message
        : _notRun is { } reason ? "full verification could not run: " + reason : "full verification running";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting: this runs beside the service, never before it.
        await Task.Yield();
        VerificationReport report;
        try
        {
            report = await AuditVerifier.VerifyAsync(reader, cancellationToken: stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is AuditStoreUnavailableException or IOException or ObjectDisposedException)
        {
            _notRun = ex.Message;
            AuditLog.FullVerificationNotRun(log, ex.Message);
            return;
        }

        _result = report;
        if (!report.IsValid)
        {
            AuditLog.FullVerificationFailed(log, report.Message);
            writer.Refuse(report.Message);
            if (options.StopWhenChainBroken)
            {
                lifetime.StopApplication();
            }

            return;
        }

        AuditLog.FullVerificationPassed(log, report.Message);
        try
        {
            await writer.RecordVerifiedPointAsync(report.Head, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuditStoreUnavailableException or OperationCanceledException)
        {
            // The next start verifies from the previous point: slower, never less safe.
        }
    }
}
