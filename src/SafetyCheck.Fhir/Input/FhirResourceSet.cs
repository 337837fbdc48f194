using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using SafetyCheck.Core.Validation;
using SafetyCheck.Fhir.Mapping;

namespace SafetyCheck.Fhir.Input;

/// <summary>
/// The resources of one check, however they came (a Bundle, a CDS Hooks prefetch, a FHIR server's search results),
/// with what was set aside while collecting them and the problems that make the set unusable.
/// </summary>
/// <remarks>
/// Bundles are flattened (a prefetch entry is often a searchset Bundle; a Bundle may hold Bundles, up to
/// <see cref="MaxDepth"/> deep). A search that has more pages (a <c>next</c> link), a prefetch entry that is an
/// OperationOutcome, or an OperationOutcome entry of a Bundle (a search outcome, whether or not its search mode says
/// <c>outcome</c>) with an issue of severity error or fatal, or none (<c>incomplete</c>, <c>too-costly</c>…), is a
/// problem: the data would be incomplete, and a check on part of a child's record could miss what matters. So is an
/// issue whose code says the server left data out (<c>suppressed</c>, <c>incomplete</c>, <c>too-costly</c>…, see
/// <see cref="WithheldData"/>), whatever its severity, and a searchset whose <c>total</c> exceeds the matches it holds
/// with no <c>next</c> link. An OperationOutcome whose issues are otherwise all warnings or information is set aside.
/// </remarks>
public sealed class FhirResourceSet
{
    /// <summary>How deep Bundles may nest.</summary>
    public const int MaxDepth = 3;

    /// <summary>
    /// OperationOutcome issue codes by which a server says it left data out (withheld it, stopped early, or refused to
    /// finish): the search is incomplete whatever the issue's severity. <c>informational</c> and the rest are judged by
    /// their severity.
    /// </summary>
    private static readonly HashSet<OperationOutcome.IssueType> WithheldData =
    [
        OperationOutcome.IssueType.Suppressed,
        OperationOutcome.IssueType.Forbidden,
        OperationOutcome.IssueType.Incomplete,
        OperationOutcome.IssueType.TooCostly,
        OperationOutcome.IssueType.TooLong,
        OperationOutcome.IssueType.Throttled,
        OperationOutcome.IssueType.Timeout,
        OperationOutcome.IssueType.Transient,
    ];

    private readonly List<LocatedResource> resources = [];
    private readonly List<IgnoredElement> ignored = [];
    private readonly List<FieldViolation> problems = [];

    private FhirResourceSet()
    {
    }

    /// <summary>Every resource, in the order sent.</summary>
    public IReadOnlyList<LocatedResource> Resources => resources;

    /// <summary>What was set aside while collecting (search outcome warnings, entries without a resource); a null prefetch entry ("no data") is not listed.</summary>
    public IReadOnlyList<IgnoredElement> Ignored => ignored;

    /// <summary>Why the set cannot be used (unparsable JSON, a failed prefetch or search, more pages); empty when it can.</summary>
    public IReadOnlyList<FieldViolation> Problems => problems;

    /// <summary>The resources of a Bundle (of any type), named <c>Bundle.entry[i].resource</c>.</summary>
    public static FhirResourceSet FromBundle(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var set = new FhirResourceSet();
        set.Add(bundle, "Bundle", fullUrl: null, depth: 0);
        return set;
    }

    /// <summary>One resource: a Bundle is flattened; any other resource stands alone, named by its type.</summary>
    public static FhirResourceSet FromResource(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource is Bundle bundle)
        {
            return FromBundle(bundle);
        }

        var set = new FhirResourceSet();
        set.Add(resource, resource.TypeName, fullUrl: null, depth: 0);
        return set;
    }

    /// <summary>
    /// A CDS Hooks prefetch: each named entry a resource, a searchset Bundle, or null ("no data"), named
    /// <c>prefetch.KEY</c>. Each of the <see cref="PrefetchKeys.Searches"/> must be a search result (a Bundle of type searchset or collection) or null:
    /// anything else there (a Patient, an empty object) is not "no conditions", and the check could miss what matters.
    /// </summary>
    public static FhirResourceSet FromPrefetch(IEnumerable<KeyValuePair<string, Resource?>> prefetch)
    {
        ArgumentNullException.ThrowIfNull(prefetch);
        var set = new FhirResourceSet();
        foreach (var (key, resource) in prefetch)
        {
            var location = "prefetch." + key;
            if (resource is null)
            {
                // "No data": nothing was left out, so nothing is listed (a line on every call would hide those that matter).
                continue;
            }

            if (resource is OperationOutcome)
            {
                set.problems.Add(new FieldViolation(location, "is an OperationOutcome: the EHR could not fetch this data, and a check without it could miss what matters"));
            }
            else if (PrefetchKeys.IsSearch(key) && PrefetchKeys.NotASearchResult(resource) is { } what)
            {
                set.problems.Add(new FieldViolation(location, $"is {what}, not a search result (a Bundle of type searchset, or null for no data): a check without this data could miss what matters"));
            }
            else
            {
                set.Add(resource, location, fullUrl: null, depth: 0);
            }
        }

        return set;
    }

    /// <summary>A set that cannot be used, for input that could not be read at all.</summary>
    public static FhirResourceSet Unusable(IEnumerable<FieldViolation> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var set = new FhirResourceSet();
        set.problems.AddRange(problems);
        if (set.problems.Count == 0)
        {
            throw new ArgumentException("At least one problem is required.", nameof(problems));
        }

        return set;
    }

    /// <summary>Two sets as one (a prefetch completed by the caller's own queries).</summary>
    public FhirResourceSet Concat(FhirResourceSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var set = new FhirResourceSet();
        foreach (var part in new[] { this, other })
        {
            set.resources.AddRange(part.resources);
            set.ignored.AddRange(part.ignored);
            set.problems.AddRange(part.problems);
        }

        return set;
    }

    private void Add(Resource resource, string location, string? fullUrl, int depth)
    {
        if (resource is not Bundle bundle)
        {
            resources.Add(new LocatedResource(resource, location, fullUrl));
            return;
        }

        if (depth >= MaxDepth)
        {
            problems.Add(new FieldViolation(location, $"Bundles nest more than {MaxDepth} deep"));
            return;
        }

        if (bundle.Link.Any(l => l.Relation == "next"))
        {
            problems.Add(new FieldViolation(location + ".link", "the search has more pages (a 'next' link): send every page, or the check could miss what is on them"));
        }

        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            var entryLocation = $"{location}.entry[{i}]";
            if (entry.Resource is null)
            {
                ignored.Add(new IgnoredElement(entryLocation, "has no resource"));
            }
            else if (entry.Resource is OperationOutcome outcome)
            {
                // Judged by its issues whether or not the server marked it as the search outcome (search.mode):
                // an error left unmarked still means the data is not all there.
                var what = entry.Search?.Mode == Bundle.SearchEntryMode.Outcome ? "a search outcome" : "an OperationOutcome";
                var withheld = outcome.Issue.FirstOrDefault(i => i.Code is { } c && WithheldData.Contains(c));
                var failed = withheld ?? outcome.Issue.FirstOrDefault(i => i.Severity is not (OperationOutcome.IssueSeverity.Warning or OperationOutcome.IssueSeverity.Information));
                if (failed is not null)
                {
                    var issue = failed.Severity is { } severity ? "an issue of severity " + severity.GetLiteral() : "an issue without a severity";
                    var code = failed.Code is { } issueCode ? $" (code '{issueCode.GetLiteral()}')" : "";
                    var why = withheld is null ? "the search did not return everything" : "the server says it left data out of the search, whatever the severity";
                    problems.Add(new FieldViolation(entryLocation, $"is {what} with {issue}{code}: {why}, and a check on part of the record could miss what matters"));
                }
                else
                {
                    ignored.Add(new IgnoredElement(entryLocation + ".resource", $"{what} (warnings from the server), not clinical data"));
                }
            }
            else
            {
                Add(entry.Resource, entryLocation + ".resource", entry.FullUrl, depth + 1);
            }
        }

        // total counts the matches on every page: a search read whole (no next link; the CDS Hooks client joins the
        // pages it follows into one Bundle) that holds fewer matches than its total has lost some.
        if (bundle.Type == Bundle.BundleType.Searchset && bundle.Total is { } total && !bundle.Link.Any(l => l.Relation == "next"))
        {
            var matches = bundle.Entry.Count(e => e.Resource is not (null or OperationOutcome) && e.Search?.Mode is null or Bundle.SearchEntryMode.Match);
            if (matches < total)
            {
                problems.Add(new FieldViolation(location + ".total", $"is {total}, but the search holds {matches} {(matches == 1 ? "match" : "matches")} and has no 'next' link: the server left matches out (or only some pages were sent), and a check on part of the record could miss what matters; send every match"));
            }
        }
    }
}
