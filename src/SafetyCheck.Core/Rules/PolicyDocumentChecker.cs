using SafetyCheck.Core.Evaluation;

namespace SafetyCheck.Core.Rules;

/// <summary>
/// Holds a rule set's rule ids against its policy document (the Markdown file <c>ruleset.json</c> names in
/// <c>policy</c>): every rule must be named in the document, and every id the document names must be a rule.
/// </summary>
/// <remarks>
/// The document names rule ids in table columns whose header cell is <c>rule ids</c> (any case): each cell of that
/// column holds one or more ids in backticks separated by commas (<c>`fever`, `fever-observed`</c>), or nothing, or
/// a dash. The engine's own precautions (<c>unrecognized-condition</c>, <c>unrecognized-resolved-condition</c>) may
/// be named too. Problems are errors at the id's line and column in the document, or at the rule's
/// <c>RuleName</c> for a rule the document does not name.
/// </remarks>
public static class PolicyDocumentChecker
{
    /// <summary>The header cell that marks a column of rule ids.</summary>
    public const string ColumnHeader = "rule ids";

    private static readonly string[] EngineRuleIds = [OutcomeCombiner.UnrecognizedActiveRuleId, OutcomeCombiner.UnrecognizedResolvedRuleId];

    /// <summary>Every problem; empty when the rule set names no policy document or agrees with it.</summary>
    /// <param name="ruleSet">The loaded rule set.</param>
    /// <param name="text">The document's text; null when it could not be found.</param>
    public static IReadOnlyList<Diagnostic> Check(RuleSet ruleSet, string? text)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        if (ruleSet.Policy is not { } policy)
        {
            return [];
        }

        if (text is null)
        {
            return [new Diagnostic(ManifestLoader.FileName, policy.Line, policy.Column, $"the policy document '{policy.Path}' does not exist in the rule directory")];
        }

        var diagnostics = new List<Diagnostic>();
        var named = ReadRuleIds(policy.Path, text, diagnostics);
        if (named.Count == 0 && diagnostics.Count == 0)
        {
            return [new Diagnostic(policy.Path, 0, 0, $"the policy document has no table column headed '{ColumnHeader}' naming the rules")];
        }

        var rules = ruleSet.Rules.Select(r => r.RuleId).ToHashSet(StringComparer.Ordinal);
        foreach (var (id, line, column) in named)
        {
            if (!rules.Contains(id) && !EngineRuleIds.Contains(id, StringComparer.Ordinal))
            {
                diagnostics.Add(new Diagnostic(policy.Path, line, column, $"'{id}' is not a rule id of this rule set"));
            }
        }

        var mentioned = named.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var rule in ruleSet.Rules.Where(r => !mentioned.Contains(r.RuleId)))
        {
            diagnostics.Add(new Diagnostic(rule.File, rule.Line, Math.Max(rule.Column, 1), $"rule '{rule.RuleId}' is not in {policy.Path}: name it in a '{ColumnHeader}' cell of the row it implements"));
        }

        return diagnostics;
    }

    /// <summary>The ids in every <c>rule ids</c> column, with the 1-based line and column of each id's first character.</summary>
    internal static List<(string Id, int Line, int Column)> ReadRuleIds(string file, string text, List<Diagnostic> diagnostics)
    {
        var ids = new List<(string, int, int)>();
        foreach (var table in Tables(text))
        {
            foreach (var (line, cells) in table.Rows)
            {
                if (table.IdColumn < cells.Count)
                {
                    ReadCell(file, line, cells[table.IdColumn], ids, diagnostics);
                }
            }
        }

        return ids;
    }

    /// <summary>
    /// The rows of every table of the policy document that has a <c>rule ids</c> column, in document order: the
    /// heading the table is under, the table's header cells, the row's cells (Markdown as written, trimmed) and the
    /// rule ids its <c>rule ids</c> cell names. What the traceability report shows beside each rule.
    /// </summary>
    /// <param name="text">The document's text.</param>
    public static IReadOnlyList<PolicyRow> ReadRows(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rows = new List<PolicyRow>();
        foreach (var table in Tables(text))
        {
            var headers = table.Header.Select(c => c.Text.Trim()).ToList();
            foreach (var (line, cells) in table.Rows)
            {
                var ids = new List<(string Id, int Line, int Column)>();
                if (table.IdColumn < cells.Count)
                {
                    ReadCell("", line, cells[table.IdColumn], ids, []);
                }

                rows.Add(new PolicyRow(table.Heading, headers, [.. cells.Select(c => c.Text.Trim())], [.. ids.Select(i => i.Id)], line));
            }
        }

        return rows;
    }

    /// <summary>The tables with a <c>rule ids</c> column: the heading above, the header cells, that column's index, and each row with its 1-based line.</summary>
    private static IEnumerable<PolicyTable> Tables(string text)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var heading = "";
        int i = 0;
        while (i < lines.Length)
        {
            if (lines[i].StartsWith('#'))
            {
                heading = lines[i].TrimStart('#').Trim();
            }

            if (!IsTableRow(lines[i]) || i + 1 >= lines.Length || !IsDelimiterRow(lines[i + 1]))
            {
                i++;
                continue;
            }

            var header = Cells(lines[i]);
            int column = header.FindIndex(c => string.Equals(c.Text.Trim(), ColumnHeader, StringComparison.OrdinalIgnoreCase));
            i += 2;
            var rows = new List<(int, List<(string Text, int Start)>)>();
            for (; i < lines.Length && IsTableRow(lines[i]); i++)
            {
                rows.Add((i + 1, Cells(lines[i])));
            }

            if (column >= 0)
            {
                yield return new PolicyTable(heading, header, column, rows);
            }
        }
    }

    private static void ReadCell(string file, int line, (string Text, int Start) cell, List<(string, int, int)> ids, List<Diagnostic> diagnostics)
    {
        var rest = new System.Text.StringBuilder();
        int position = 0;
        var text = cell.Text;
        while (position < text.Length)
        {
            int open = text.IndexOf('`', position);
            int close = open < 0 ? -1 : text.IndexOf('`', open + 1);
            if (close < 0)
            {
                rest.Append(text, position, text.Length - position);
                break;
            }

            rest.Append(text, position, open - position).Append(',');
            var id = text[(open + 1)..close].Trim();
            if (id.Length > 0)
            {
                int offset = text.IndexOf(id, open + 1, StringComparison.Ordinal);
                ids.Add((id, line, cell.Start + offset + 1));
            }

            position = close + 1;
        }

        var leftover = rest.ToString().Replace(",", "", StringComparison.Ordinal).Trim();
        if (leftover.Length > 0 && leftover is not ("—" or "–" or "-"))
        {
            diagnostics.Add(new Diagnostic(file, line, cell.Start + 1 + (text.Length - text.TrimStart().Length), $"a '{ColumnHeader}' cell lists rule ids in backticks separated by commas, e.g. `fever`, `fever-observed`; found '{leftover}'"));
        }
    }

    private static bool IsTableRow(string line) => line.TrimStart().StartsWith('|');

    private static bool IsDelimiterRow(string line) =>
        IsTableRow(line) && Cells(line).All(c => c.Text.Trim().Trim(':').Length > 0 && c.Text.Trim().Trim(':').All(ch => ch == '-'));

    /// <summary>The cells of a table row, each with the 0-based offset where its text starts; backticked text never splits.</summary>
    private static List<(string Text, int Start)> Cells(string line)
    {
        var cells = new List<(string, int)>();
        int start = line.IndexOf('|', StringComparison.Ordinal) + 1;
        bool code = false;
        for (int i = start; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '`')
            {
                code = !code;
            }
            else if (c == '|' && !code && line[i - 1] != '\\')
            {
                cells.Add((line[start..i], start));
                start = i + 1;
            }
        }

        if (line[start..].Trim().Length > 0)
        {
            cells.Add((line[start..], start));
        }

        return cells;
    }

    private sealed record PolicyTable(string Heading, List<(string Text, int Start)> Header, int IdColumn, List<(int Line, List<(string Text, int Start)> Cells)> Rows);
}
