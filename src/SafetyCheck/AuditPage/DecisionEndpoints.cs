using SafetyCheck.Audit;
using SafetyCheck.Audit.Storage;
using SafetyCheck.RuleSets;

namespace SafetyCheck.AuditPage;

/// <summary>The decision list, a decision's page and its replay, and the page of a chain entry of another kind.</summary>
internal static class DecisionEndpoints
{
    public static async Task<IResult> ListAsync(HttpContext context, AuditPageData data, RuleSetProvider served)
    {
        var (form, filter) = DecisionListQuery.Read(context.Request.Query);
        var revisions = await data.ArchivedRevisionsAsync(context.RequestAborted).ConfigureAwait(false);
        IReadOnlyList<string> ruleIds = served.Current?.RuleSet.Rules.Select(r => r.RuleId).Order(StringComparer.Ordinal).ToArray() ?? [];
        IReadOnlyList<DecisionRow> rows = [];
        string? older = null;
        if (filter is not null)
        {
            try
            {
                (rows, var token) = await data.ListAsync(filter, context.RequestAborted).ConfigureAwait(false);
                older = token is null ? null : $"/audit/decisions{(form.Query() is { Length: > 0 } q ? q + "&" : "?")}page={Uri.EscapeDataString(DecisionPageToken.Write(filter, token))}";
            }
            catch (ArgumentException)
            {
                // Made for these filters but not a token the store reads (edited by hand, or issued by another store).
                form = form with { Problems = new Dictionary<string, string>(StringComparer.Ordinal) { ["page"] = DecisionListQuery.PageRefused } };
            }
        }

        var model = new DecisionsPageModel(AuditPageResults.Frame(context, "decisions"), form, rows, older, filter?.PageToken is null, revisions, ruleIds);
        return AuditPageResults.Page<Pages.DecisionsPage>(model, form.Problems.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    public static async Task<IResult> ShowAsync(HttpContext context, AuditPageData data, string id) =>
        await DecisionPageAsync(context, data, id, replay: false).ConfigureAwait(false);

    public static async Task<IResult> ReplayAsync(HttpContext context, AuditPageData data, string id)
    {
        var form = await AuditPageResults.ReadFormAsync(context).ConfigureAwait(false);
        return form is null ? AuditPageResults.FormRefused(context) : await DecisionPageAsync(context, data, id, replay: true).ConfigureAwait(false);
    }

    /// <summary>The page of a chain entry of any kind: a decision's own page, or a simple one for the other kinds.</summary>
    public static async Task<IResult> ShowEntryAsync(HttpContext context, AuditPageData data, string id)
    {
        var row = await data.FindAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (row is null)
        {
            return AuditPageResults.Message(context, "decisions", "No such entry", StatusCodes.Status404NotFound,
                "The audit trail holds no entry with that id. Entry ids are lowercase UUIDv7.");
        }

        return row.Kind == EntryKinds.Decision
            ? Results.Redirect("/audit/decisions/" + Uri.EscapeDataString(row.EntryId))
            : AuditPageResults.Page<Pages.EntryPage>(new EntryPageModel(AuditPageResults.Frame(context, "decisions"), await data.EntryAsync(row, context.RequestAborted).ConfigureAwait(false)));
    }

    private static string EntryPath(string id) => "/audit/entries/" + Uri.EscapeDataString(id);

    private static async Task<IResult> DecisionPageAsync(HttpContext context, AuditPageData data, string id, bool replay)
    {
        var row = await data.FindAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (row is null || (replay && row.Kind != EntryKinds.Decision))
        {
            return AuditPageResults.Message(context, "decisions", "No such decision", StatusCodes.Status404NotFound,
                "The audit trail holds no decision with that id. Decision ids are lowercase UUIDv7, as Check returns them.");
        }

        if (row.Kind != EntryKinds.Decision)
        {
            // Another kind of entry (a reload, an outage) has a page of its own.
            return Results.Redirect(EntryPath(row.EntryId));
        }

        DecisionView view;
        try
        {
            view = await data.DecisionAsync(row, context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            return AuditPageResults.Message(context, "decisions", $"Record {row.Sequence} cannot be read", StatusCodes.Status200OK,
                $"The stored record at sequence {row.Sequence} is not a decision record this build reads; verify the trail to see whether it was changed.");
        }

        var result = replay ? await data.ReplayAsync(view.Record, context.RequestAborted).ConfigureAwait(false) : null;
        return AuditPageResults.Page<Pages.DecisionPage>(new DecisionPageModel(AuditPageResults.Frame(context, "decisions"), view, result));
    }
}
