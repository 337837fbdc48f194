using System.Globalization;

namespace SafetyCheck.AuditPage;

/// <summary>The pictures page: counts from the store (<see cref="Audit.Storage.IAuditSummaries"/>), drawn on the server.</summary>
internal static class PictureEndpoints
{
    /// <summary>Days shown when none are given: the last 30, today included.</summary>
    public const int DefaultDays = 30;

    /// <summary>Longest period, in days.</summary>
    public const int MaxDays = 366;

    public static async Task<IResult> ShowAsync(HttpContext context, AuditPageData data, TimeProvider clock, string? from, string? to)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var (first, last, problem) = Period(from, to, today);
        if (data.Summaries is not { } summaries)
        {
            return AuditPageResults.Message(context, "pictures", "Pictures", StatusCodes.Status200OK, "This audit store keeps no counts to draw.");
        }

        var start = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(last.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var days = VerdictChart.Days(await summaries.CountVerdictsPerDayAsync(start, end, context.RequestAborted).ConfigureAwait(false), first, last);
        var firings = await summaries.CountRuleFiringsAsync(start, end, context.RequestAborted).ConfigureAwait(false);
        var order = await summaries.ListRevisionUsesAsync(context.RequestAborted).ConfigureAwait(false);

        // Which rules each revision has, from its archived files (loaded once and kept by the replayer).
        var rules = new Dictionary<string, IReadOnlySet<string>?>(StringComparer.Ordinal);
        foreach (var revision in order.Where(r => firings.DecisionsPerRevision.ContainsKey(r.Identity.Revision)).TakeLast(FiringMatrix.MaxColumns))
        {
            var load = await data.Replayer.LoadRevisionAsync(revision.Identity.Revision, context.RequestAborted).ConfigureAwait(false);
            rules[revision.Identity.Revision] = load.RuleSet?.Rules.Select(r => r.RuleId).ToHashSet(StringComparer.Ordinal);
        }

        var matrix = FiringMatrix.Build(firings, order, revision => rules.GetValueOrDefault(revision));
        return AuditPageResults.Page<Pages.PicturesPage>(new PicturesPageModel(
            AuditPageResults.Frame(context, "pictures"), first, last, problem, days, VerdictChart.Render(days), matrix, FiringChart.Render(matrix)),
            problem is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    /// <summary>The period asked for, or the last <see cref="DefaultDays"/> days with the reason it was not usable.</summary>
    public static (DateOnly From, DateOnly To, string? Problem) Period(string? from, string? to, DateOnly today)
    {
        var fallback = (today.AddDays(1 - DefaultDays), today);
        if (string.IsNullOrWhiteSpace(from) && string.IsNullOrWhiteSpace(to))
        {
            return (fallback.Item1, fallback.today, null);
        }

        if (!TryDay(from, out var first) || !TryDay(to, out var last))
        {
            return (fallback.Item1, fallback.today, "Both days must be dates YYYY-MM-DD; showing the last 30 days.");
        }

        if (last < first || last.DayNumber - first.DayNumber >= MaxDays)
        {
            return (fallback.Item1, fallback.today, $"The period must run forwards and be at most {MaxDays} days; showing the last 30 days.");
        }

        return (first, last, null);
    }

    private static bool TryDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day) && day.Year is >= 2000 and <= 9998;
}
