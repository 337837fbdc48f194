using SafetyCheck.Core.Catalog;

namespace SafetyCheck.Fhir.Tests.Support;

/// <summary>The repository's rule set, seeds and this project's bundles, and the shipped catalog loaded once.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<ConditionCatalog> ShippedCatalog = new(() =>
        CatalogLoader.Load(Path.Combine(Rules, "conditions.json"), "conditions.json").Catalog
        ?? throw new InvalidOperationException("the shipped catalog does not load"));

    public static string Root { get; } = FindRoot();

    public static string Rules => Path.Combine(Root, "rules");

    public static string FhirSeeds => Path.Combine(Root, "seeds", "fhir");

    /// <summary>Synthetic bundles and their hand-mapped requests.</summary>
    public static string Bundles => Path.Combine(Root, "tests", "SafetyCheck.Fhir.Tests", "Bundles");

    public static ConditionCatalog Catalog => ShippedCatalog.Value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafetyCheck.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SafetyCheck.sln not found above " + AppContext.BaseDirectory);
    }
}
