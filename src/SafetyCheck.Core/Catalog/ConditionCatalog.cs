namespace SafetyCheck.Core.Catalog;

/// <summary>The condition catalog (<c>rules/conditions.json</c>): resolves input codes to canonical condition ids.</summary>
public sealed class ConditionCatalog : ICodeResolver
{
    /// <summary>Resolves a code in a supported system; null when the catalog does not recognise it.</summary>
    public CatalogMatch? Resolve(string system, string code) => throw new NotImplementedException("in progress");

    /// <summary>True when <paramref name="conditionId"/> is a canonical id of this catalog.</summary>
    public bool Contains(string conditionId) => throw new NotImplementedException("in progress");
}
