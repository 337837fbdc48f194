using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Profiles;

namespace SafetyCheck.Core.Facts;

/// <summary>Derives <see cref="ChildFacts"/> from a validated profile at its as_of instant.</summary>
public static class FactsDeriver
{
    /// <summary>Derives the facts and sorts input codes into recognised and unrecognised.</summary>
    public static FactsDerivation Derive(ChildProfile profile, ICodeResolver catalog, FactsOptions options) =>
        throw new NotImplementedException("in progress");
}
