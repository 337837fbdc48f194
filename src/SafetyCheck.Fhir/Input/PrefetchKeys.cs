using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace SafetyCheck.Fhir.Input;

/// <summary>
/// The CDS Hooks prefetch keys whose meaning the mapping depends on: the searches a prefetch answers with a search
/// result (a Bundle), and <see cref="Conditions"/>, without which a check could miss what matters. The names are the
/// service's discovery keys; other keys are read as whatever resource they hold.
/// </summary>
public static class PrefetchKeys
{
    /// <summary>All of the child's Conditions: required in a prefetch (null when the EHR has none).</summary>
    public const string Conditions = "conditions";

    /// <summary>The keys that are searches: each must be a Bundle of type searchset (or collection) or null.</summary>
    public static readonly IReadOnlyList<string> Searches =
        [Conditions, "gestationalAgeAtBirth", "gestationalAgeEstimated", "gestationalAge", "birthWeight", "bodyTemperature"];

    /// <summary>Whether <paramref name="key"/> is one of the <see cref="Searches"/>.</summary>
    public static bool IsSearch(string key) => Searches.Contains(key, StringComparer.Ordinal);

    /// <summary>
    /// Null when <paramref name="resourceType"/> (with the Bundle's <paramref name="bundleType"/>) is a search result;
    /// otherwise what it is instead, for a message (<c>a Patient</c>, <c>a Bundle of type transaction</c>, <c>no resource</c>).
    /// </summary>
    public static string? NotASearchResult(string? resourceType, string? bundleType)
    {
        if (resourceType == "Bundle")
        {
            return bundleType is "searchset" or "collection" ? null : $"a Bundle of type {(string.IsNullOrEmpty(bundleType) ? "(none)" : bundleType)}";
        }

        return string.IsNullOrEmpty(resourceType) ? "something that is not a FHIR resource (no resourceType)"
            : ResourceNames.WithArticle(resourceType);
    }

    /// <summary>As <see cref="NotASearchResult(string?, string?)"/>, for a resource the SDK has read.</summary>
    public static string? NotASearchResult(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource is Bundle bundle
            ? NotASearchResult("Bundle", bundle.Type is { } type ? type.GetLiteral() : null)
            : NotASearchResult(resource.TypeName, null);
    }
}
