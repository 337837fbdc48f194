
namespace SafetyCheck.Core.Catalog;

/// <summary>Placeholder until the catalog loader lands.</summary>
public static class CatalogLoader
{
    public static CatalogLoadResult Parse(string json, string displayName) => throw new NotImplementedException($"{json}{displayName}");
}
