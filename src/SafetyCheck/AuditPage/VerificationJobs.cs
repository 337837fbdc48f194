using System.Collections.Concurrent;
using System.Security.Cryptography;
using SafetyCheck.Audit;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Verification;
using SafetyCheck.Logging;

namespace SafetyCheck.AuditPage;

/// <summary>
/// Verifications of the trail started from the page, run in the background so that a long trail shows its progress:
/// every chain and then the archive of rule revisions with <see cref="ChainSetVerifier"/> (the verifier the
/// <c>audit verify</c> verb and the gRPC service use), against the newest kept checkpoint of each chain, counting the
/// records read. One runs at a time; asking again while
/// one runs gives that one. The last <see cref="Kept"/> are remembered until the service stops. A failure goes down
/// the path of the service's own background verification (<see cref="AuditChainVerification.RefuseIfBroken"/>): a
/// broken chain of this service, or a broken archive, is refused before the result is shown. Thread-safe.
/// </summary>
internal sealed class VerificationJobs(
    AuditPageData data,
    CheckpointFolder checkpoints,
    AuditChainVerification verification,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<VerificationJobs> log)
{
    /// <summary>Finished verifications remembered.</summary>
    public const int Kept = 20;

    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private Job? _running;
    private long _started;

    /// <summary>Starts a verification for <paramref name="auditor"/>, or returns the one running.</summary>
    public VerificationStatus Start(string auditor)
    {
        lock (_gate)
        {
            if (_running is { } running && running.Status.FinishedAt is null)
            {
                return running.Status;
            }

            var job = new Job(++_started, new CountingChainSet(data.Chains), new VerificationStatus(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), auditor, clock.GetUtcNow(), null, 0, 0, [], [], null));
            _jobs[job.Status.Id] = job;
            _running = job;
            foreach (var old in _jobs.Values.Where(j => j.Status.IsFinished).OrderByDescending(j => j.Number).Skip(Kept))
            {
                _jobs.TryRemove(old.Status.Id, out _);
            }

            job.Run = Task.Run(() => RunAsync(job, lifetime.ApplicationStopping));
            return job.Status;
        }
    }

    /// <summary>The verification with id <paramref name="id"/>, as it stands; null when unknown.</summary>
    public VerificationStatus? Find(string id) => _jobs.TryGetValue(id, out var job) ? job.Current() : null;

    /// <summary>The remembered verifications, newest first.</summary>
    public IReadOnlyList<VerificationStatus> Recent() => [.. _jobs.Values.OrderByDescending(j => j.Number).Select(j => j.Current())];

    /// <summary>Waits for the verification <paramref name="id"/> to finish (tests, shutdown).</summary>
    public Task WaitAsync(string id) => _jobs.TryGetValue(id, out var job) && job.Run is { } run ? run : Task.CompletedTask;

    private async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var id = job.Status.Id;
        try
        {
            var ids = await data.Chains.ListChainsAsync(cancellationToken).ConfigureAwait(false);
            long total = 0;
            foreach (var chain in ids)
            {
                total += (await data.Chains.Chain(chain).HeadAsync(cancellationToken).ConfigureAwait(false)).Size;
            }

            job.Status = job.Status with { Total = total };
            AuditPageLog.VerificationStarted(log, LogText.Printable(job.Status.StartedBy), id, total);
            var (kept, key, note) = Checkpoints();
            using (key)
            {
                job.Status = job.Status with { Checkpoints = kept, Note = note };
                // The verifier audit verify and the gRPC VerifyLog call: every chain, against its checkpoint, then the
                // archive of rule revisions the entries and the checkpoints name.
                var reports = await ChainSetVerifier.VerifyAsync(job.Chains, [.. kept.Select(k => k.Checkpoint)], key, cancellationToken).ConfigureAwait(false);

                // A broken chain is refused before anyone sees the result, as the background verification refuses it.
                var refused = false;
                if (reports.FirstOrDefault(r => !r.Report.IsValid) is { } bad)
                {
                    AuditPageLog.VerificationFailed(log, id, LogText.Printable(bad.Chain.Length == 0 ? bad.Report.Message : $"chain {bad.Chain}: {bad.Report.Message}"));
                    refused = verification.RefuseIfBroken(reports, $"auditor {LogText.Printable(job.Status.StartedBy)} on the auditor's page (verification {id})");
                }
                else
                {
                    AuditPageLog.VerificationFinished(log, id, "ok");
                }

                job.Status = job.Status with { Reports = reports, Checked = job.Chains.Read, ChainRefused = refused, FinishedAt = clock.GetUtcNow() };
            }
        }
        catch (Exception ex) when (ex is AuditStoreUnavailableException or ObjectDisposedException or OperationCanceledException)
        {
            AuditPageLog.VerificationUnreadable(log, ex, id);
            job.Status = job.Status with
            {
                Checked = job.Chains.Read,
                FinishedAt = clock.GetUtcNow(),
                Failed = true,
                Note = ex is OperationCanceledException ? "The service is stopping: the verification did not finish." : "The audit store could not be read: the verification did not finish.",
            };
        }
    }

    private (IReadOnlyList<KeptCheckpoint> Kept, ECDsa? Key, string? Note) Checkpoints()
    {
        var kept = checkpoints.Latest();
        if (kept.Count == 0)
        {
            return ([], null, null);
        }

        try
        {
            return checkpoints.Key() is { } key
                ? (kept, key, null)
                : ([], null, "Checkpoints were found but there is no key to check them with (SafetyCheck:AuditPage:CheckpointPublicKeyFile): verified without them.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
        {
            return ([], null, "The checkpoint key cannot be read (" + ex.Message + "): verified without the checkpoints.");
        }
    }

    private sealed class Job(long number, CountingChainSet chains, VerificationStatus status)
    {
        /// <summary>Started as the <c>n</c>th since the service started: the order of the list, whatever the clock says.</summary>
        public long Number { get; } = number;

        /// <summary>The store's chains, counting the entries the verifier reads.</summary>
        public CountingChainSet Chains { get; } = chains;

        public VerificationStatus Status { get; set; } = status;

        public Task? Run { get; set; }

        public VerificationStatus Current() => Status.IsFinished ? Status : Status with { Checked = Chains.Read };
    }
}
