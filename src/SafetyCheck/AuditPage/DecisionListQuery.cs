using System.Globalization;
using SafetyCheck.Audit;
using SafetyCheck.Audit.Records;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.AuditPage;

/// <summary>
/// Reads the decision list's query string into the form as typed and, when every field is acceptable, an
/// <see cref="EntryFilter"/>. The <c>page</c> parameter is a <see cref="DecisionPageToken"/>, as the gRPC ListDecisions
/// hands out: bound to the filters of the page whose "Older" link carried it, so that a link whose filters were changed
/// in the address is refused rather than listing the new filters' decisions from the old place.
/// </summary>
internal static class DecisionListQuery
{
    /// <summary>Decisions per page.</summary>
    public const int PageSize = 50;

    /// <summary>Longest rule id or caller accepted as a filter, in characters.</summary>
    public const int MaxTextLength = DecisionRecordFactory.MaxCallerLength;

    /// <summary>What <c>page</c> is told when it is not a token this list made.</summary>
    public const string PageRefused = "that page link is not one this list made; start again from the newest decisions";

    /// <summary>What <c>page</c> is told when it was made for other filters than those beside it.</summary>
    public const string PageOfOtherFilters = "that page link was made for other filters than these; start again from the newest decisions";

    public static (DecisionFilterForm Form, EntryFilter? Filter) Read(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var form = new DecisionFilterForm
        {
            From = Text(query, "from"),
            To = Text(query, "to"),
            Verdict = Text(query, "verdict"),
            Rule = Text(query, "rule"),
            Revision = Text(query, "revision"),
            Caller = Text(query, "caller"),
        };
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var from = Day(form.From, "from", problems);
        var to = Day(form.To, "to", problems);
        if (from is { } start && to is { } end && end < start)
        {
            problems["to"] = "must be on or after the first day";
        }

        Suitability verdict = default;
        if (form.Verdict.Length > 0 && !EnumNames.TryParse(form.Verdict, out verdict))
        {
            problems["verdict"] = "must be one of " + string.Join(", ", EnumNames.All<Suitability>());
        }

        if (form.Rule.Length > MaxTextLength)
        {
            problems["rule"] = $"must be at most {MaxTextLength} characters";
        }
        else if (ControlCharacters.In(form.Rule))
        {
            problems["rule"] = ControlCharacters.Refusal;
        }

        if (form.Revision.Length > 0 && !(form.Revision.Length == 64 && form.Revision.All(char.IsAsciiHexDigitLower)))
        {
            problems["revision"] = "must be a rule revision: 64 lowercase hex digits";
        }

        if (form.Caller.Length > MaxTextLength)
        {
            problems["caller"] = $"must be at most {MaxTextLength} characters";
        }
        else if (ControlCharacters.In(form.Caller))
        {
            problems["caller"] = ControlCharacters.Refusal;
        }

        // No token this list makes holds a control character; the store is not asked about one.
        var page = Text(query, "page");
        if (ControlCharacters.In(page))
        {
            problems["page"] = PageRefused;
        }

        if (problems.Count > 0)
        {
            return (form with { Problems = problems }, null);
        }

        var filter = new EntryFilter
        {
            From = from is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            To = to is { } t ? new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            Verdict = form.Verdict.Length > 0 ? verdict : null,
            RuleId = form.Rule.Length > 0 ? form.Rule : null,
            Revision = form.Revision.Length > 0 ? form.Revision : null,
            Caller = form.Caller.Length > 0 ? form.Caller : null,
            NewestFirst = true,
            PageSize = PageSize,
        };

        // The store is asked with its own token, once the link is known to have been made for these filters.
        var storeToken = DecisionPageToken.Read(filter, page, out var refusal);
        if (refusal is not null)
        {
            problems["page"] = refusal == DecisionPageToken.OtherFilter ? PageOfOtherFilters : PageRefused;
            return (form with { Problems = problems }, null);
        }

        return (form, filter with { PageToken = storeToken });
    }

    private static string Text(IQueryCollection query, string name) => query[name].ToString().Trim();

    private static DateOnly? Day(string text, string field, Dictionary<string, string> problems)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day.Year is >= 2000 and <= 9998)
        {
            return day;
        }

        problems[field] = "must be a date YYYY-MM-DD between 2000 and 9998";
        return null;
    }
}
