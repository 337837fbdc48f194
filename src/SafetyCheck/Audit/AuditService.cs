using System.Security.Cryptography;
using Grpc.Core;
using SafetyCheck.Audit.Checkpoints;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Replay;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Verification;
using SafetyCheck.Core.Validation;
using SafetyCheck.Grpc;
using SafetyCheck.Protos.V1;
using AuditApi = SafetyCheck.Protos.V1.Audit;

namespace SafetyCheck.Audit;

/// <summary>
/// <c>safetycheck.v1.Audit</c>: a thin adapter over the audit store (read side), <see cref="AuditVerifier"/> and
/// <see cref="DecisionReplayer"/>. A decision entry shows each precaution's details and every rule's result: a v1
/// record holds them; a v2 record's are rebuilt from its archived revision when its results digest confirms them.
/// Access control is applied to the service name by the host's authorization.
/// </summary>
internal sealed class AuditService(
    IAuditReader store,
    IAuditChainSet chains,
    DecisionReplayer replayer,
    RulesetIdentities rulesets,
    AuditPaths paths,
    ILogger<AuditService> log) : AuditApi.AuditBase
{
    /// <summary>What <c>checkpoint_public_key</c> is told when it holds a private key.</summary>
    internal const string PrivateKeyRefused = "holds a private key: send only the public key; treat this private key as exposed";

    /// <summary>What <c>checkpoint_public_key</c> is told when no checkpoint came with it.</summary>
    internal const string KeyWithoutCheckpoint = "given without checkpoint: a public key only checks a checkpoint's signature; send the checkpoint too, or no key";

    public override async Task<DecisionEntry> GetDecision(GetDecisionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var row = await FindAsync(request.DecisionId, context.CancellationToken).ConfigureAwait(false);
        return await ToEntryAsync(row, replayer, context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task<ListDecisionsResponse> ListDecisions(ListDecisionsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var filter = DecisionFilterReader.Read(request, out var violations);
        if (filter is null)
        {
            RpcErrors.ThrowInvalidArgument(violations);
        }

        var storeToken = DecisionPageToken.Read(filter, filter.PageToken, out var refusal);
        if (refusal is not null)
        {
            RpcErrors.ThrowInvalidArgument([new FieldViolation("page_token", refusal)]);
        }

        EntryPage page;
        try
        {
            page = await ReadAsync(() => store.ListAsync(filter with { PageToken = storeToken }, context.CancellationToken)).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            // The page size is checked above: what the store refuses is the token.
            throw RpcErrors.InvalidArgument([new FieldViolation("page_token", DecisionFilterReader.PageTokenRefused)]);
        }

        // Each revision's archive is read and checked once for the page, not once per row (megabytes hashed per row):
        // the page describes the archive as read while answering it; the next call checks it again.
        var batch = replayer.ForOneBatch();
        var response = new ListDecisionsResponse { NextPageToken = DecisionPageToken.Write(filter, page.NextPageToken) };
        foreach (var row in page.Items)
        {
            response.Decisions.Add(await ToEntryAsync(row, batch, context.CancellationToken).ConfigureAwait(false));
        }

        return response;
    }

    public override async Task<VerifyLogResponse> VerifyLog(VerifyLogRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        Checkpoint? checkpoint = null;
        ECDsa? key = null;
        try
        {
            if (request.Checkpoint.Length > 0)
            {
                (checkpoint, key) = ReadCheckpoint(request);
            }
            else if (request.CheckpointPublicKey.Length > 0)
            {
                // A key with nothing to check would otherwise be ignored, and the caller believe a checkpoint was checked.
                RpcErrors.ThrowInvalidArgument([new FieldViolation("checkpoint_public_key", KeyWithoutCheckpoint)]);
            }

            var reports = await ReadAsync(() => ChainSetVerifier.VerifyAsync(chains, checkpoint is null ? [] : [checkpoint], key, context.CancellationToken)).ConfigureAwait(false);
            return AuditProtoMapper.ToResponse(Combine(reports, checkpoint));
        }
        finally
        {
            key?.Dispose();
        }
    }

    public override async Task<ReplayDecisionResponse> ReplayDecision(ReplayDecisionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var row = await FindAsync(request.DecisionId, context.CancellationToken).ConfigureAwait(false);
        DecisionRecord record;
        try
        {
            record = row.ToRecord();
        }
        catch (InvalidDataException)
        {
            throw AuditRpcErrors.RecordUnreadable(row.Sequence);
        }

        var result = await ReadAsync(() => replayer.ReplayAsync(record, context.CancellationToken)).ConfigureAwait(false);
        return AuditProtoMapper.ToResponse(result, row);
    }

    /// <summary>
    /// One report for every chain: a store of one chain reports as it is; several chains report the first that fails
    /// (else the checkpoint's chain, else the first), with every chain's result in the message and the records checked summed.
    /// </summary>
    private static VerificationReport Combine(IReadOnlyList<ChainReport> reports, Checkpoint? checkpoint)
    {
        if (reports is [{ Chain: "" } single])
        {
            return single.Report;
        }

        if (reports.Count == 0)
        {
            return new VerificationReport(Verification.VerificationProblem.None, 0, AuditHead.Empty, null, "the store holds no chain yet");
        }

        var basis = reports.FirstOrDefault(r => !r.Report.IsValid)
            ?? reports.FirstOrDefault(r => checkpoint is not null && r.Chain == ChainOrigin.ChainOf(checkpoint.Origin))
            ?? reports[0];
        return basis.Report with
        {
            EntriesChecked = reports.Sum(r => r.Report.EntriesChecked),
            Message = string.Join("; ", reports.Select(r => $"chain {r.Chain}: {r.Report.Message}")),
        };
    }

    private (Checkpoint Checkpoint, ECDsa Key) ReadCheckpoint(VerifyLogRequest request)
    {
        var violations = new List<FieldViolation>();
        Checkpoint? checkpoint = null;
        try
        {
            checkpoint = Checkpoint.Parse(request.Checkpoint);
        }
        catch (FormatException ex)
        {
            violations.Add(new FieldViolation("checkpoint", "not a SafetyCheck audit checkpoint: " + ex.Message));
        }

        ECDsa? key = null;
        if (CheckpointKeys.HoldsPrivateKey(request.CheckpointPublicKey))
        {
            // Refused before it is parsed: nothing of the key is kept, logged or quoted back.
            violations.Add(new FieldViolation("checkpoint_public_key", PrivateKeyRefused));
            RpcErrors.ThrowInvalidArgument(violations);
        }

        try
        {
            key = CheckpointKeys.ForVerification(request.CheckpointPublicKey, paths);
            if (key is null)
            {
                violations.Add(new FieldViolation("checkpoint_public_key", "required: the service has no checkpoint key of its own to check the checkpoint with"));
            }
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            violations.Add(new FieldViolation("checkpoint_public_key", "not a PEM ECDSA P-256 key: " + ex.Message));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            AuditServiceLog.Unreadable(log, ex);
            throw AuditRpcErrors.Unreadable();
        }

        if (violations.Count > 0)
        {
            key?.Dispose();
            RpcErrors.ThrowInvalidArgument(violations);
        }

        return (checkpoint!, key!);
    }

    private async Task<DecisionEntry> ToEntryAsync(StoredEntry row, DecisionReplayer expander, CancellationToken cancellationToken)
    {
        DecisionRecord record;
        try
        {
            record = row.ToRecord();
        }
        catch (InvalidDataException)
        {
            throw AuditRpcErrors.RecordUnreadable(row.Sequence);
        }

        var ruleset = await ReadAsync(() => rulesets.OfAsync(record, cancellationToken)).ConfigureAwait(false);
        var result = await ReadAsync(() => expander.ExpandAsync(record, cancellationToken)).ConfigureAwait(false);
        return AuditProtoMapper.ToEntry(row, record, ruleset, result);
    }

    private async Task<StoredEntry> FindAsync(string decisionId, CancellationToken cancellationToken)
    {
        try
        {
            DecisionRecordFactory.ValidateDecisionId(decisionId);
        }
        catch (ArgumentException)
        {
            RpcErrors.ThrowInvalidArgument([new FieldViolation("decision_id", "must be a decision id: a lowercase UUIDv7 as returned by Check")]);
        }

        var row = await ReadAsync(() => store.GetAsync(decisionId, cancellationToken)).ConfigureAwait(false);
        if (row is null || row.Kind != EntryKinds.Decision)
        {
            throw AuditRpcErrors.NotFound(decisionId);
        }

        return row;
    }

    /// <summary>Runs a read, turning an unreadable store into UNAVAILABLE (logged).</summary>
    private async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuditStoreUnavailableException or ObjectDisposedException)
        {
            AuditServiceLog.Unreadable(log, ex);
            throw AuditRpcErrors.Unreadable();
        }
    }
}
