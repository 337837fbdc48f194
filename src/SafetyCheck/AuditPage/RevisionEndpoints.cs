using SafetyCheck.Core.Rules;

namespace SafetyCheck.AuditPage;

/// <summary>The archived revisions, one revision's rules, and the difference between two.</summary>
internal static class RevisionEndpoints
{
    public static async Task<IResult> ListAsync(HttpContext context, AuditPageData data)
    {
        var revisions = await data.RevisionsAsync(context.RequestAborted).ConfigureAwait(false);
        var used = revisions.Where(r => r.Decisions > 0).ToArray();
        var to = used.Length > 0 ? used[^1].Identity.Revision : (revisions.Count > 0 ? revisions[0].Identity.Revision : "");
        var from = used.Length > 1 ? used[^2].Identity.Revision : to;
        return AuditPageResults.Page<Pages.RevisionsPage>(new RevisionsPageModel(AuditPageResults.Frame(context, "revisions"), revisions, from, to));
    }

    public static async Task<IResult> ShowAsync(HttpContext context, AuditPageData data, string revision)
    {
        var (ruleSet, problem) = await LoadAsync(context, data, revision).ConfigureAwait(false);
        if (ruleSet is null)
        {
            return problem!;
        }

        var use = (await data.RevisionsAsync(context.RequestAborted).ConfigureAwait(false)).FirstOrDefault(r => r.Identity.Revision == revision);
        return AuditPageResults.Page<Pages.RevisionPage>(new RevisionPageModel(AuditPageResults.Frame(context, "revisions"), use, ruleSet));
    }

    public static async Task<IResult> CompareAsync(HttpContext context, AuditPageData data, string? from, string? to)
    {
        // Both parameters are checked before either is loaded, so one answer names each bad one.
        var bad = new[] { ("from", from), ("to", to) }.Where(p => !IsRevision(p.Item2)).Select(p => p.Item1).ToArray();
        if (bad.Length > 0)
        {
            return AuditPageResults.Message(context, "revisions", "Not a revision", StatusCodes.Status400BadRequest,
                string.Concat(bad.Select(name => $"{name}: must be a rule revision (64 lowercase hex digits). "))
                + "Choose the revisions to compare from the list of archived revisions.");
        }

        var (before, problem) = await LoadAsync(context, data, from!).ConfigureAwait(false);
        if (before is null)
        {
            return problem!;
        }

        (var after, problem) = await LoadAsync(context, data, to!).ConfigureAwait(false);
        if (after is null)
        {
            return problem!;
        }

        var revisions = await data.RevisionsAsync(context.RequestAborted).ConfigureAwait(false);
        return AuditPageResults.Page<Pages.RevisionComparisonPage>(
            new RevisionComparisonPageModel(AuditPageResults.Frame(context, "revisions"), RevisionComparison.Of(before, after), revisions));
    }

    private static bool IsRevision(string? text) => text is { Length: 64 } && text.All(char.IsAsciiHexDigitLower);

    private static async Task<(RuleSet? RuleSet, IResult? Problem)> LoadAsync(HttpContext context, AuditPageData data, string revision)
    {
        if (!IsRevision(revision))
        {
            return (null, AuditPageResults.Message(context, "revisions", "Not a revision", StatusCodes.Status400BadRequest,
                "A rule revision is 64 lowercase hex digits: choose one from the list of archived revisions."));
        }

        var load = await data.Replayer.LoadRevisionAsync(revision, context.RequestAborted).ConfigureAwait(false);
        return load.RuleSet is { } ruleSet
            ? (ruleSet, null)
            : (null, AuditPageResults.Message(context, "revisions", $"Revision {PageText.Abbreviated(revision)} cannot be shown",
                load.Status == Audit.Replay.ReplayStatus.RevisionNotArchived ? StatusCodes.Status404NotFound : StatusCodes.Status200OK, load.Message + "."));
    }
}
