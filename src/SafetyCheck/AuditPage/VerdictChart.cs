using System.Globalization;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.AuditPage;

/// <summary>Verdicts per day as stacked bars, drawn on the server as SVG (<see cref="SvgMarkup"/>); the same numbers go in a table beside it.</summary>
internal static class VerdictChart
{
    /// <summary>Verdicts from the bottom of a bar up: the most restrictive on top, where the eye goes first.</summary>
    public static readonly string[] Order = ["SUITABLE", "SUITABLE_WITH_PRECAUTIONS", "CLINICIAN_REVIEW_REQUIRED", "NOT_SUITABLE"];

    /// <summary>
    /// The texture over each verdict's colour (none on SUITABLE), so that the verdicts differ by more than a colour:
    /// the four colours are close to one another in lightness and hard to tell apart without colour vision.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Textures = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["SUITABLE_WITH_PRECAUTIONS"] = "stripes", ["CLINICIAN_REVIEW_REQUIRED"] = "dots", ["NOT_SUITABLE"] = "cross",
    };

    private const string Id = "verdicts-chart";

    private const double Width = 760;
    private const double Height = 300;
    private const double Left = 48;
    private const double Right = 12;
    private const double Top = 34;
    private const double Bottom = 40;

    /// <summary>Every day from <paramref name="from"/> to <paramref name="to"/> (inclusive), with its counts.</summary>
    public static IReadOnlyList<DayVerdicts> Days(IReadOnlyList<VerdictCount> counts, DateOnly from, DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var byDay = counts.GroupBy(c => c.Day).ToDictionary(g => g.Key, g => g.ToDictionary(c => c.Verdict, c => c.Decisions, StringComparer.Ordinal));
        var days = new List<DayVerdicts>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var known = byDay.GetValueOrDefault(day);
            days.Add(new DayVerdicts(day, Order.ToDictionary(v => v, v => known?.GetValueOrDefault(v) ?? 0, StringComparer.Ordinal)));
        }

        return days;
    }

    public static string Render(IReadOnlyList<DayVerdicts> days)
    {
        ArgumentNullException.ThrowIfNull(days);
        var total = days.Sum(d => d.Total);
        using var svg = new SvgMarkup(Id, Width, Height, "Verdicts per day",
            days.Count == 0 ? "No days." : $"{total} decisions from {Day(days[0].Day)} to {Day(days[^1].Day)}, stacked by verdict per day from the bottom up: "
                + string.Join(", ", Order.Select(v => $"{v} ({TextureName(v)})")) + "; the table below has the numbers.");
        svg.Textures(Textures.Select(t => (TextureId(t.Key), t.Value)));
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var max = Math.Max(1, days.Count == 0 ? 1 : days.Max(d => d.Total));
        var step = NiceStep(max);
        var ceiling = Math.Ceiling(max / step) * step;

        // Legend, left to right in the order of the stack.
        var x = Left;
        foreach (var verdict in Order)
        {
            svg.Rect(x, 8, 12, 12, PageText.VerdictClass(verdict) + " swatch");
            Texture(svg, verdict, x, 8, 12, 12);
            svg.Text(x + 16, 18, verdict, "legend");
            x += 26 + (verdict.Length * 7.4);
        }

        for (var tick = 0.0; tick <= ceiling; tick += step)
        {
            var y = Top + plotHeight - (tick / ceiling * plotHeight);
            svg.Line(Left, y, Width - Right, y, "grid");
            svg.Text(Left - 6, y + 4, tick.ToString("N0", CultureInfo.InvariantCulture), "axis", "end");
        }

        var slot = days.Count == 0 ? plotWidth : plotWidth / days.Count;
        var bar = Math.Max(1, slot * 0.8);
        var labelEvery = Math.Max(1, (int)Math.Ceiling(days.Count / 8.0));
        for (var i = 0; i < days.Count; i++)
        {
            var day = days[i];
            var left = Left + (i * slot) + ((slot - bar) / 2);
            var bottom = Top + plotHeight;
            foreach (var verdict in Order)
            {
                var count = day.Counts[verdict];
                if (count == 0)
                {
                    continue;
                }

                var height = count / ceiling * plotHeight;
                bottom -= height;
                svg.Rect(left, bottom, bar, height, PageText.VerdictClass(verdict) + " bar", $"{Day(day.Day)}: {count} {verdict} of {day.Total}");
                Texture(svg, verdict, left, bottom, bar, height);
            }

            if (i % labelEvery == 0)
            {
                svg.Text(Left + (i * slot) + (slot / 2), Height - Bottom + 16, day.Day.ToString("MM'-'dd", CultureInfo.InvariantCulture), "axis", "middle");
            }
        }

        svg.Line(Left, Top + plotHeight, Width - Right, Top + plotHeight, "axis-line");
        return svg.Finish();
    }

    /// <summary>A step of 1, 2 or 5 times a power of ten giving at most five grid lines up to <paramref name="max"/>.</summary>
    public static double NiceStep(double max)
    {
        var raw = Math.Max(1, max / 5);
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        return new[] { 1.0, 2, 5, 10 }.Select(m => m * power).First(s => s >= raw);
    }

    private static string TextureId(string verdict) => $"{Id}-texture-{verdict.ToLowerInvariant().Replace('_', '-')}";

    private static string TextureName(string verdict) => Textures.GetValueOrDefault(verdict) switch
    {
        "stripes" => "striped",
        "dots" => "dotted",
        "cross" => "cross-hatched",
        _ => "plain",
    };

    private static void Texture(SvgMarkup svg, string verdict, double x, double y, double width, double height)
    {
        if (Textures.ContainsKey(verdict))
        {
            svg.Textured(x, y, width, height, TextureId(verdict));
        }
    }

    private static string Day(DateOnly day) => day.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);
}
