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
/// <item>A SNOMED CT id a row names exactly that another row's expansions list as a subtype: the exactly named id
/// wins, so naming it silently takes it from the other row (naming <c>58580000</c>, a supracondylar fracture of the
/// humerus, on a new row takes it from the fracture row's <c>125605004</c>). An intended move is acknowledged in the
/// naming row's <c>overrides</c>: the other row's id (which also decides every SNOMED CT tie between the two rows),
/// or an entry <c>{ "condition": "fracture", "snomed": ["58580000"] }</c> for those ids only. An id listed in such
/// an entry that no expansion of the condition lists is itself a warning.</item>
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
        var overridesUsed = new HashSet<(string, string)>(catalog.SnomedOverridesUsed);
        var captures = ReviewCaptures(catalog, catalogFile, overridesUsed);
        if (catalog.Terminology.Icd10Cm is { } table)
        {
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

        warnings.AddRange(captures);
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

    /// <summary>
    /// Warnings for the SNOMED CT ids rows name exactly that other rows' expansions list, unless acknowledged, and for
    /// narrow <c>overrides</c> entries that acknowledge nothing; adds the (taker, other row) pairs whose plain
    /// <c>overrides</c> entry acknowledged one to <paramref name="overridesUsed"/>. One hash probe per capture.
    /// </summary>
    private static List<Diagnostic> ReviewCaptures(ConditionCatalog catalog, string catalogFile, HashSet<(string, string)> overridesUsed)
    {
        var warnings = new List<Diagnostic>();
        var acknowledged = new HashSet<(string Taker, string From, string Code)>();
        foreach (var capture in catalog.SnomedCaptures)
        {
            var (taker, from, code) = (capture.Taker, capture.From, capture.Code);
            if (taker.Overrides.Contains(from.Id, StringComparer.Ordinal))
            {
                overridesUsed.Add((taker.Id, from.Id));
                continue;
            }

            bool hasNarrowEntry = taker.SnomedOverrides.TryGetValue(from.Id, out var ids);
            if (hasNarrowEntry && ids!.ContainsKey(code))
            {
                acknowledged.Add((taker.Id, from.Id, code));
                continue;
            }

            string entry = $"{{ \"condition\": \"{from.Id}\", \"snomed\": [\"{code}\"] }}";
            string fix = hasNarrowEntry
                ? $"add \"{code}\" to the snomed list of its {{ \"condition\": \"{from.Id}\", ... }} entry in the 'overrides' of '{taker.Id}'"
                : from.Overrides.Contains(taker.Id, StringComparer.Ordinal)
                    ? $"acknowledge this id with {entry} in the 'overrides' of '{taker.Id}' (the two rows cannot override each other: '{from.Id}' overrides '{taker.Id}')"
                    : $"add '{from.Id}' to the 'overrides' of '{taker.Id}' (it then also wins every SNOMED CT tie with '{from.Id}'), or, for this id only, add {entry} to them";
            var concepts = capture.Expansions.Select(e => $"{e.Concept} '{e.Display}'").ToList();
            string listed = concepts.Count == 1 ? concepts[0] : $"{string.Join(", ", concepts[..^1])} and {concepts[^1]}";
            var (line, column) = taker.SnomedPositions.GetValueOrDefault(code);
            warnings.Add(Diagnostic.Warning(catalogFile, line, column,
                $"SNOMED CT {code} '{capture.Display}' is a subtype of {listed} in the expansion{(concepts.Count == 1 ? "" : "s")} of '{from.Id}'; " +
                $"naming it under '{taker.Id}' takes it from '{from.Id}' (an id a row names exactly is that row's): " +
                $"if that is intended, {fix}; otherwise remove it from the snomed list of '{taker.Id}'"));
        }

        foreach (var condition in catalog.Conditions)
        {
            foreach (var (from, ids) in condition.SnomedOverrides)
            {
                foreach (var (code, (line, column)) in ids.Where(i => !acknowledged.Contains((condition.Id, from, i.Key))))
                {
                    warnings.Add(Diagnostic.Warning(catalogFile, line, column,
                        $"'{condition.Id}' overrides '{from}' for SNOMED CT {code}, but no expansion of '{from}' lists {code}, so naming it takes nothing from '{from}': remove it from that 'overrides' entry"));
                }
            }
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
