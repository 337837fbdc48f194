using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Verification;

namespace SafetyCheck.Audit;

/// <summary>
/// The full verification the service runs in the background once it has started: the whole chain from sequence 1 and
/// the archive (<see cref="AuditVerifier"/>), up to the head when it starts. Passing, it records that head as the
/// store's verified point, so the next start verifies only what came after. Then, every
/// <see cref="AuditOptions.VerifyEveryMinutes"/>, it verifies the records appended since (read back from the store) and
/// records the head again, so that a restart after a long run verifies minutes of records, not the whole run. Failing,
/// either refuses the chain (the writer appends nothing more, health reports NOT_SERVING with the reason) and, for
/// <c>serve</c> (<see cref="AuditVerificationOptions.StopWhenChainBroken"/>), stops the host so that it exits 1. The
/// full verification's result is logged and reported by health. A verification run elsewhere in the service (the
/// auditor's page's Verify now) that finds the chain broken goes down the same path (<see cref="RefuseIfBroken"/>).
/// </summary>
internal sealed class AuditChainVerification(
    IAuditReader reader,
    AuditChainWriter writer,
    AuditVerificationOptions options,
    IOptions<AuditOptions> auditOptions,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<AuditChainVerification> log) : BackgroundService
{
    private readonly TaskCompletionSource _fullVerificationDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile VerificationReport? _result;
    private volatile string? _notRun;

    /// <summary>
    /// The result once the full verification has finished (null while it runs, or when it could not run); a later
    /// verification of the records appended since that fails replaces it with its own.
    /// </summary>
    public VerificationReport? Result => _result;

    /// <summary>
    /// Completes once the full verification has ended (passed and its verified point recorded, failed, or could not
    /// run), or the host stopped first; the verifications of appended records go on after it.
    /// </summary>
    public Task FullVerificationDone => _fullVerificationDone.Task;

    /// <summary>For health: what the full verification found so far, in a few words.</summary>
    public string Status => _result is { } result
        ? result.IsValid ? "full verification passed" : "verification failed: " + result.Message
        : _notRun is { } reason ? "full verification could not run: " + reason : "full verification running";

    /// <summary>
    /// Acts on what a verification run elsewhere in the service found (the auditor's page's Verify now: every chain
    /// against its checkpoints, then the archive). A failure of the chain this service appends to, or of the archive of
    /// rule revisions every chain shares, is treated as a failure of the background verification: logged (Critical,
    /// naming <paramref name="source"/>) and the chain refused (nothing more is appended, Check answers UNAVAILABLE,
    /// health NOT_SERVING); the host keeps running, for the page that shows the result. A failure of another instance's chain is that instance's to act on (each verifies
    /// its own), and a checkpoint whose signature does not verify says nothing about the chain: neither refuses it.
    /// True when a failure refuses the chain (whether this call refused it or it was refused already); false when nothing
    /// failed that refuses it.
    /// </summary>
    public bool RefuseIfBroken(IReadOnlyList<ChainReport> reports, string source)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var own = OwnChain.Of(reader) ?? "";
        var broken = reports.FirstOrDefault(r => r.Report.Problem switch
        {
            VerificationProblem.None or VerificationProblem.CheckpointSignatureInvalid => false,
            VerificationProblem.ArchiveRevisionMissing or VerificationProblem.ArchivedRevisionAltered => true,
            _ => string.Equals(r.Chain, own, StringComparison.Ordinal),
        });
        if (broken is null)
        {
            return false;
        }

        if (writer.Health.Refusal is not null)
        {
            return true;
        }

        var message = broken.Chain.Length == 0 ? broken.Report.Message : $"chain {broken.Chain}: {broken.Report.Message}";
        _result = broken.Report with { Message = message };
        AuditLog.OnDemandVerificationFailed(log, source, message);
        writer.Refuse(message);

        // The host is not stopped, even for serve: the auditor who asked is reading the result on this service's page.
        // It stays up NOT_SERVING; a restart refuses the chain again when its own verification reaches the damage.
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (await VerifyFullyAsync(stoppingToken).ConfigureAwait(false) is { } point)
        {
            await KeepVerifyingAsync(point, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The full verification: the head it verified (recorded as the verified point) when it passed, the head the start
    /// verified when it could not run, null when it failed or the host stopped.
    /// </summary>
    private async Task<AuditHead?> VerifyFullyAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await RunFullVerificationAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            _fullVerificationDone.TrySetResult();
        }
    }

    private async Task<AuditHead?> RunFullVerificationAsync(CancellationToken stoppingToken)
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
            return null;
        }
        catch (Exception ex) when (ex is AuditStoreUnavailableException or IOException or ObjectDisposedException)
        {
            _notRun = ex.Message;
            AuditLog.FullVerificationNotRun(log, ex.Message);

            // The records after the head the start verified are still verified as the service runs.
            return writer.StartupVerification.Head;
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

            return null;
        }

        AuditLog.FullVerificationPassed(log, report.Message);
        await RecordPointAsync(report.Head, stoppingToken).ConfigureAwait(false);
        return report.Head;
    }

    /// <summary>
    /// Every <see cref="AuditOptions.VerifyEveryMinutes"/>: verifies the records after <paramref name="point"/> against it
    /// and records the head they reach as the next verified point. Ends when the host stops or a verification fails.
    /// </summary>
    private async Task KeepVerifyingAsync(AuditHead point, CancellationToken stoppingToken)
    {
        var minutes = auditOptions.Value.VerifyEveryMinutes;
        while (minutes > 0)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMinutes(minutes), clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            VerificationReport report;
            try
            {
                report = await AuditVerifier.VerifyFromAsync(reader, point, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is AuditStoreUnavailableException or IOException or ObjectDisposedException)
            {
                AuditLog.IncrementalVerificationNotRun(log, minutes, ex.Message);
                continue;
            }

            if (!report.IsValid)
            {
                _result = report;
                AuditLog.IncrementalVerificationFailed(log, report.Message);
                writer.Refuse(report.Message);
                if (options.StopWhenChainBroken)
                {
                    lifetime.StopApplication();
                }

                return;
            }

            if (report.Head.Size > point.Size && await RecordPointAsync(report.Head, stoppingToken).ConfigureAwait(false))
            {
                AuditLog.IncrementalVerificationPassed(log, point.Size + 1, report.Head.Size);
                point = report.Head;
            }
        }
    }

    /// <summary>Records <paramref name="point"/> as the store's verified point; false when the store did not take it.</summary>
    private async Task<bool> RecordPointAsync(AuditHead point, CancellationToken stoppingToken)
    {
        try
        {
            await writer.RecordVerifiedPointAsync(point, stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is AuditStoreUnavailableException or OperationCanceledException)
        {
            // The next start verifies from the previous point: slower, never less safe.
            return false;
        }
    }
}
