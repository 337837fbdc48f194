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
/// problem: the data would be incomplete, and a check on part of a child's record could miss what matters. One whose
/// issues are all warnings or information is set aside.
/// </remarks>
public sealed class FhirResourceSet
{
    /// <summary>How deep Bundles may nest.</summary>
    public const int MaxDepth = 3;

    private readonly List<LocatedResource> resources = [];
    private readonly List<IgnoredElement> ignored = [];
    private readonly List<FieldViolation> problems = [];

    private FhirResourceSet()
    {
    }

    /// <summary>Every resource, in the order sent.</summary>
    public IReadOnlyList<LocatedResource> Resources => resources;

    /// <summary>What was set aside while collecting (search outcome warnings, empty prefetch entries).</summary>
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
                set.ignored.Add(new IgnoredElement(location, "null: the EHR has no data for this prefetch"));
            }
            else if (resource is OperationOutcome)
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
                if (outcome.Issue.FirstOrDefault(i => i.Severity is not (OperationOutcome.IssueSeverity.Warning or OperationOutcome.IssueSeverity.Information)) is { } failed)
                {
                    var issue = failed.Severity is { } severity ? "an issue of severity " + severity.GetLiteral() : "an issue without a severity";
                    var code = failed.Code is { } issueCode ? $" (code '{issueCode.GetLiteral()}')" : "";
                    problems.Add(new FieldViolation(entryLocation, $"is {what} with {issue}{code}: the search did not return everything, and a check on part of the record could miss what matters"));
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
    }
}
