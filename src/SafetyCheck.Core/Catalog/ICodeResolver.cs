namespace SafetyCheck.Core.Catalog;

/// <summary>Resolves input codes to canonical condition ids; implemented by <see cref="ConditionCatalog"/>.</summary>
public interface ICodeResolver
{
    /// <summary>
    /// Resolves a code in a supported system (ICD-10-CM with or without the dot, SNOMED CT id, or a catalog id);
    /// null when the catalog does not recognise it.
    /// </summary>
    CatalogMatch? Resolve(string system, string code);
}
