using SafetyCheck.Audit;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.AuditPage;

/// <summary>The trail page, starting a verification, and its progress and result.</summary>
internal static class TrailEndpoints
{
    public static async Task<IResult> ShowAsync(HttpContext context, AuditPageData data, CheckpointFolder checkpoints, VerificationJobs jobs, AuditChainVerification verification)
    {
        var heads = new List<ChainHead>();
        foreach (var chain in await data.Chains.ListChainsAsync(context.RequestAborted).ConfigureAwait(false))
        {
            heads.Add(new ChainHead(chain, await data.Chains.Chain(chain).HeadAsync(context.RequestAborted).ConfigureAwait(false)));
        }

        var directory = checkpoints.Directory is { } path && Directory.Exists(path) ? path : null;
        return AuditPageResults.Page<Pages.TrailPage>(new TrailPageModel(
            AuditPageResults.Frame(context, "trail"), heads, checkpoints.Latest(), directory ?? checkpoints.Directory, jobs.Recent(), verification.Status));
    }

    public static async Task<IResult> VerifyAsync(HttpContext context, VerificationJobs jobs)
    {
        var form = await AuditPageResults.ReadFormAsync(context).ConfigureAwait(false);
        if (form is null)
        {
            return AuditPageResults.FormRefused(context);
        }

        var job = jobs.Start(AuditorPrincipal.NameOf(context.User) ?? "");
        return new SeeOther($"/audit/trail/verifications/{job.Id}");
    }

    public static async Task<IResult> ProgressAsync(HttpContext context, AuditPageData data, VerificationJobs jobs, string id)
    {
        if (jobs.Find(id) is not { } status)
        {
            return AuditPageResults.Message(context, "trail", "No such verification", StatusCodes.Status404NotFound,
                "The page remembers the last verifications since the service started; start a new one from the trail page.");
        }

        string? decision = null;
        if (status.FirstFailure is { Report.FirstBadSequence: { } sequence } bad
            && await data.EntryAtAsync(bad.Chain, sequence, context.RequestAborted).ConfigureAwait(false) is { Kind: EntryKinds.Decision } entry)
        {
            decision = entry.EntryId;
        }

        return AuditPageResults.Page<Pages.VerificationPage>(new VerificationPageModel(AuditPageResults.Frame(context, "trail"), status, decision));
    }

    /// <summary>The progress as JSON, for the page's script.</summary>
    public static IResult Status(VerificationJobs jobs, string id) => jobs.Find(id) is { } status
        ? Results.Json(new VerificationProgress(status.IsFinished, status.Checked, status.Total, status.Percent))
        : Results.NotFound();
}
