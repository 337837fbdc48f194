using System.Globalization;
using SafetyCheck.Core.Rules;
using SafetyCheck.Core.Terminology;

namespace SafetyCheck.Core.Catalog;

/// <summary>
/// What <c>check</c> warns about in a loaded catalog: things that load and resolve, but probably not as the authors
/// meant. Each is a warning at the position of the entry concerned.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>An ICD-10-CM pattern that takes real codes (per the code table) from another condition's pattern, because
/// it is more specific: the classic accident is adding <c>T88.1</c> to one row, which silently takes
/// <c>T88.1XXS</c> from the injury-sequelae row's <c>{S00-T88, seventh S}</c>. An intended exception is acknowledged
/// by the narrower row naming the broader one in its <c>overrides</c> (resolution is unchanged: the more specific
/// pattern wins), or by listing the narrower pattern in the broader row's <c>icd10Exclude</c> (the broader row then
/// no longer matches those codes at all, so nothing is taken from it).</item>
/// <item>An <c>overrides</c> entry that takes nothing from the row it names.</item>
/// <item>An ICD-10-CM pattern that matches no code of the code table.</item>
/// <item>A SNOMED CT descendant several rows' expansions cover with none more specific.</item>
/// <item>An expansion of a concept no row names.</item>
/// </list>
/// </remarks>
internal static class CatalogReview
{
    private const int Examples = 3;

    public static List<Diagnostic> Review(ConditionCatalog catalog, string catalogFile)
    {
        var warnings = new List<Diagnostic>();
        if (catalog.Terminology.Icd10Cm is { } table)
        {
            var overridesUsed = new HashSet<(string, string)>(catalog.SnomedOverridesUsed);
            ReviewIcd10(catalog, catalogFile, table, overridesUsed, warnings);
            foreach (var condition in catalog.Conditions)
            {
                foreach (var overridden in condition.Overrides.Where(o => !overridesUsed.Contains((condition.Id, o))))
                {
                    var (line, column) = condition.OverridePositions[overridden];
                    warnings.Add(Diagnostic.Warning(catalogFile, line, column,
                        $"'{condition.Id}' overrides '{overridden}' but takes no ICD-10-CM {table.Edition} code or SNOMED CT subtype from it: remove it from 'overrides'"));
                }
            }
        }

        foreach (var ambiguity in catalog.SnomedAmbiguities)
        {
            var (first, _) = ambiguity.Candidates[0];
            var at = first.Descendants.First(d => d.Code == ambiguity.Code);
            var rows = string.Join(", ", ambiguity.Candidates.Select(c => $"{c.Expansion.Concept} '{c.Expansion.Display}' (row '{c.Condition.Id}')"));
            warnings.Add(Diagnostic.Warning(first.File, at.Line, at.Column,
                $"SNOMED CT {ambiguity.Code} '{ambiguity.Display}' is a subtype of {rows}, none more specific than the others: " +
                $"it resolves to '{ambiguity.Winner.Id}' (not known-benign first, then the row with the more restrictive rules, then the smaller id); " +
                $"name it in the snomed list of the row it belongs to, or give that row 'overrides'"));
        }

        foreach (var unused in catalog.UnusedExpansions)
        {
            warnings.Add(Diagnostic.Warning(unused.File, unused.Line, unused.Column,
                $"no row of {catalogFile} names SNOMED CT {unused.Concept} '{unused.Display}': its expansion resolves nothing"));
        }

        return warnings;
    }

    private static void ReviewIcd10(
        ConditionCatalog catalog, string catalogFile, Icd10CmCodeTable table, HashSet<(string, string)> overridesUsed, List<Diagnostic> warnings)
    {
        var used = new HashSet<Icd10Pattern>(ReferenceEqualityComparer.Instance);
        var taken = new Dictionary<(Icd10Pattern Winner, string Loser), Taking>();
        var matching = new List<Icd10Index.Entry>();
        foreach (var code in table.Codes)
        {
            matching.Clear();
            if (catalog.Icd10.Match(code, matching) is not { } winner)
            {
                continue;
            }

            foreach (var entry in matching)
            {
                used.Add(entry.Pattern);
                if (entry.Condition == winner.Condition)
                {
                    continue;
                }

                if (winner.Condition.Overrides.Contains(entry.Condition.Id, StringComparer.Ordinal))
                {
                    overridesUsed.Add((winner.Condition.Id, entry.Condition.Id));
                    continue;
                }

                var key = (winner.Pattern, entry.Condition.Id);
                if (!taken.TryGetValue(key, out var taking))
                {
                    taken.Add(key, taking = new Taking(winner, entry));
                }

                if (taking.Codes.Count == 0 || taking.Codes[^1] != code)
                {
                    taking.Codes.Add(code);
                }
            }
        }

        foreach (var ((pattern, _), taking) in taken.OrderBy(t => t.Key.Winner.Line).ThenBy(t => t.Key.Winner.Column).ThenBy(t => t.Key.Loser, StringComparer.Ordinal))
        {
            var loser = taking.Loser;
            var examples = string.Join(", ", taking.Codes.Take(Examples).Select(Dotted));
            var count = taking.Codes.Count;
            warnings.Add(Diagnostic.Warning(catalogFile, pattern.Line, pattern.Column, string.Create(CultureInfo.InvariantCulture,
                $"ICD-10-CM pattern '{Describe(pattern)}' of '{taking.Winner.Condition.Id}' takes {count} code{(count == 1 ? "" : "s")} that " +
                $"'{Describe(loser.Pattern)}' of '{loser.Condition.Id}' would otherwise match, e.g. {examples}; " +
                $"if that is intended, add '{loser.Condition.Id}' to the 'overrides' of '{taking.Winner.Condition.Id}' " +
                $"(or list \"{pattern.Text}\" in the icd10Exclude of '{loser.Condition.Id}' to take those codes from it altogether)")));
        }

        foreach (var condition in catalog.Conditions)
        {
            foreach (var pattern in condition.Icd10.Where(p => !used.Contains(p)))
            {
                warnings.Add(Diagnostic.Warning(catalogFile, pattern.Line, pattern.Column,
                    $"ICD-10-CM pattern '{Describe(pattern)}' of '{condition.Id}' matches no ICD-10-CM {table.Edition} code{(condition.Icd10Exclude.Count > 0 ? " its exclusions leave" : "")}"));
            }
        }
    }

    private static string Describe(Icd10Pattern pattern) => pattern.Seventh is null ? pattern.Text : $"{pattern.Text}, 7th {pattern.Seventh}";

    /// <summary>A normalised code with its dot, as clinicians write it.</summary>
    private static string Dotted(string code) => code.Length > 3 ? $"{code[..3]}.{code[3..]}" : code;

    private sealed class Taking(Icd10Index.Entry winner, Icd10Index.Entry loser)
    {
        public Icd10Index.Entry Winner { get; } = winner;

        public Icd10Index.Entry Loser { get; } = loser;

        public List<string> Codes { get; } = [];
    }
}
