using System.Globalization;

namespace SafetyCheck.AuditPage;

/// <summary>
/// The firing picture as an SVG heat map: a row per rule, a column per revision, each cell the decisions the rule
/// fired in, shaded by its share of the revision's decisions; a rule that went silent is outlined and marked.
/// </summary>
internal static class FiringChart
{
    private const double LabelWidth = 260;
    private const double CellWidth = 120;
    private const double RowHeight = 20;
    private const double Header = 46;

    public static string Render(FiringMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var width = LabelWidth + (Math.Max(1, matrix.Columns.Count) * CellWidth) + 8;
        var height = Header + (Math.Max(1, matrix.Rows.Count) * RowHeight) + 8;
        var silences = matrix.Silences().Count();
        using var svg = new SvgMarkup("firings-chart", width, height, "Each rule's firings per revision",
            $"{matrix.Rows.Count} rules that fired, across {matrix.Columns.Count} revisions in the order they were first used; " +
            (silences == 0 ? "no rule went silent." : $"{silences} went silent after an edit (outlined, marked 0!)."));
        for (var c = 0; c < matrix.Columns.Count; c++)
        {
            var column = matrix.Columns[c];
            var x = LabelWidth + (c * CellWidth) + (CellWidth / 2);
            svg.Text(x, 18, FiringMatrix.Label(column.Identity), "axis", "middle");
            svg.Text(x, 34, $"{column.Decisions.ToString("N0", CultureInfo.InvariantCulture)} decisions", "axis muted-text", "middle");
        }

        for (var r = 0; r < matrix.Rows.Count; r++)
        {
            var row = matrix.Rows[r];
            var y = Header + (r * RowHeight);
            svg.Text(LabelWidth - 8, y + 14, row.RuleId, row.SilentFrom.Count > 0 ? "rule-label silent-label" : "rule-label", "end");
            for (var c = 0; c < matrix.Columns.Count; c++)
            {
                var column = matrix.Columns[c];
                var x = LabelWidth + (c * CellWidth);
                var count = row.Counts[c];
                var silent = row.SilentFrom.Contains(c);
                var label = FiringMatrix.Label(column.Identity);
                if (count is not { } fired)
                {
                    svg.Rect(x + 1, y + 1, CellWidth - 2, RowHeight - 2, "heat-absent", $"{row.RuleId} is not a rule of {label}");
                    svg.Text(x + (CellWidth / 2), y + 14, "—", "cell-text", "middle");
                    continue;
                }

                var share = column.Decisions == 0 ? 0 : (double)fired / column.Decisions;
                var tooltip = $"{row.RuleId} on {label}: fired in {fired} of {column.Decisions} decisions ({share:P1})" + (silent ? "; it went silent after the edit" : "");
                svg.Rect(x + 1, y + 1, CellWidth - 2, RowHeight - 2, silent ? "heat-silent" : Heat(share), tooltip);
                svg.Text(x + (CellWidth / 2), y + 14, silent ? "0!" : fired.ToString("N0", CultureInfo.InvariantCulture), silent ? "cell-text silent-text" : share >= 0.3 ? "cell-text on-dark" : "cell-text", "middle");
            }
        }

        return svg.Finish();
    }

    /// <summary>The shade of a share of decisions: none, under 2 %, under 10 %, under 30 %, 30 % and more.</summary>
    public static string Heat(double share) => share switch
    {
        <= 0 => "heat-0",
        < 0.02 => "heat-1",
        < 0.10 => "heat-2",
        < 0.30 => "heat-3",
        _ => "heat-4",
    };
}
