namespace SafetyCheck.Core.Catalog;

/// <summary>Resolves input codes to canonical condition ids; implemented by <see cref="ConditionCatalog"/>.</summary>
public interface ICodeResolver
{
    /// <summary>
    /// Resolves a code in a supported system (ICD-10-CM with or without the dot, SNOMED CT id, or a catalog id);
    /// null when the catalog does not recognise it.
    /// </summary>
    CatalogMatch? Resolve(string system, string code);

    /// <summary>
    /// Why a code <see cref="Resolve"/> does not recognise is unrecognised, in words a response carries
    /// (<c>not in the catalog</c>, <c>not an ICD-10-CM FY2026 code</c>, <c>not a valid SNOMED CT id</c>).
    /// </summary>
    string WhyUnrecognized(string system, string code) => ConditionCatalog.NotInCatalog;
}
