using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Terminology;

/// <summary>
/// Reads the files of a rule set's <c>terminology/</c> folder strictly: at most one ICD-10-CM code table
/// (<c>icd10cm-fyYYYY.txt</c>) and any number of SNOMED CT expansions (<c>*.json</c>, one concept each).
/// </summary>
internal static class TerminologyLoader
{
    /// <summary>The terminology, or null when any file has a problem (each reported to <paramref name="diagnostics"/>).</summary>
    /// <param name="files">Path (relative, forward slashes) and text of each terminology file, in ordinal path order.</param>
    /// <param name="diagnostics">Where problems go.</param>
    public static TerminologySet? Load(IEnumerable<(string Path, string Text)> files, ICollection<Diagnostic> diagnostics)
    {
        int before = diagnostics.Count;
        Icd10CmCodeTable? table = null;
        string? tablePath = null;
        var expansions = new List<SnomedExpansion>();
        var concepts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, text) in files)
        {
            if (TerminologyFiles.IsSnomedExpansion(path))
            {
                if (SnomedExpansionReader.Read(path, text, diagnostics) is not { } expansion)
                {
                    continue;
                }

                if (!concepts.TryAdd(expansion.Concept, path))
                {
                    diagnostics.Add(new Diagnostic(path, expansion.Line, expansion.Column, $"concept {expansion.Concept} is already expanded in {concepts[expansion.Concept]}"));
                    continue;
                }

                expansions.Add(expansion);
            }
            else if (TerminologyFiles.IsIcd10CmTable(path))
            {
                if (tablePath is not null)
                {
                    diagnostics.Add(new Diagnostic(path, 0, 0, $"a rule set has one ICD-10-CM code table, and {tablePath} is already one: remove the older fiscal year"));
                    continue;
                }

                tablePath = path;
                table = Icd10CmCodeTableReader.Read(path, text, diagnostics);
            }
            else
            {
                diagnostics.Add(new Diagnostic(path, 0, 0, "not a terminology file: SNOMED CT expansions are <concept>.json, the ICD-10-CM code table is icd10cm-fyYYYY.txt"));
            }
        }

        return diagnostics.Count > before ? null : new TerminologySet(table, expansions);
    }
}
