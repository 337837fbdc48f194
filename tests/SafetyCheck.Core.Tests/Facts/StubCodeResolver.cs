using SafetyCheck.Core.Catalog;
using SafetyCheck.Core.Domain;

namespace SafetyCheck.Core.Tests.Facts;

/// <summary>A tiny synthetic code resolver for fact tests: exact <c>system|code</c> lookups only.</summary>
internal sealed class StubCodeResolver : ICodeResolver
{
    public const string Eczema = "eczema";
    public const string Fever = "fever";
    public const string Immunisation = "recent-immunisation";
    public const string Preterm = "preterm";

    private readonly Dictionary<string, CatalogMatch> _matches = new(StringComparer.Ordinal)
    {
        [CodeSystems.Icd10Cm + "|L20.9"] = new(Eczema, false, null),
        [CodeSystems.Icd10Cm + "|R50.9"] = new(Fever, false, null),
        [CodeSystems.Icd10Cm + "|Z23"] = new(Immunisation, false, null),
        [CodeSystems.Icd10Cm + "|P07.33"] = new(Preterm, false, 30),
        [CodeSystems.Icd10Cm + "|P07.35"] = new(Preterm, false, 32),
        [CodeSystems.Icd10Cm + "|P07.25"] = new(Preterm, false, 26),
        [CodeSystems.Catalog + "|" + Eczema] = new(Eczema, false, null),
    };

    public CatalogMatch? Resolve(string system, string code) => _matches.GetValueOrDefault(system + "|" + code);
}
