using SafetyCheck.Core.Json;
using SafetyCheck.Core.Terminology;

namespace SafetyCheck.Core.Rules;

/// <summary>Tells the files of a rule directory apart by path, and names the JSON Schema of each kind.</summary>
public static class RuleSetFileKinds
{
    /// <summary>The kind of the file at <paramref name="path"/> (relative to the rule directory, forward slashes).</summary>
    public static RuleSetFileKind Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (SchemaReference.IsSchema(path))
        {
            return RuleSetFileKind.Other;
        }

        if (TerminologyFiles.IsTerminology(path))
        {
            return TerminologyFiles.IsSnomedExpansion(path) ? RuleSetFileKind.SnomedExpansion
                : path.EndsWith(".txt", StringComparison.Ordinal) ? RuleSetFileKind.TerminologyText
                : RuleSetFileKind.Other;
        }

        return path == ManifestLoader.FileName ? RuleSetFileKind.Manifest
            : path == RuleSetLoader.CatalogFileName ? RuleSetFileKind.Catalog
            : path.EndsWith(RuleSetLoader.CasesSuffix, StringComparison.Ordinal) ? RuleSetFileKind.Cases
            : path.EndsWith(".json", StringComparison.Ordinal) ? RuleSetFileKind.Rules
            : RuleSetFileKind.Other;
    }

    /// <summary>The schema file (in <c>schemas/</c>) of a kind of JSON file; null for the kinds that are not JSON.</summary>
    public static string? SchemaFile(RuleSetFileKind kind) => kind switch
    {
        RuleSetFileKind.Manifest => SchemaReference.ManifestFile,
        RuleSetFileKind.Catalog => SchemaReference.CatalogFile,
        RuleSetFileKind.Rules => SchemaReference.RuleFile,
        RuleSetFileKind.Cases => SchemaReference.CasesFile,
        RuleSetFileKind.SnomedExpansion => SchemaReference.SnomedExpansionFile,
        _ => null,
    };
}
