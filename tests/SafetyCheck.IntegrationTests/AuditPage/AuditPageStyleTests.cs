using System.Globalization;
using System.Text.RegularExpressions;
using SafetyCheck.IntegrationTests.Infrastructure;

namespace SafetyCheck.IntegrationTests.AuditPage;

/// <summary>
/// The page's style sheet against WCAG 2.2 AA: the contrast of its text colours on the backgrounds they are drawn on
/// (4.5:1), and of the focus ring and the verdicts picture's marks (3:1), computed from the colours the sheet names.
/// </summary>
public sealed class AuditPageStyleTests
{
    private static readonly string Css = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "src", "SafetyCheck", "AuditPage", "Assets", "audit.css"));

    [Theory]
    [InlineData("--ink", "--paper")]
    [InlineData("--ink", "--alert-bg")]
    [InlineData("--muted", "--paper")]
    [InlineData("--muted", "--wash")]
    [InlineData("--accent", "--paper")]
    [InlineData("--accent", "--alert-bg")]
    [InlineData("--accent", "--ok-bg")]
    [InlineData("--accent", "--notice-bg")]
    [InlineData("#ffffff", "--accent")]
    [InlineData("#ffffff", "--suitable")]
    [InlineData("#ffffff", "--precautions")]
    [InlineData("#ffffff", "--review")]
    [InlineData("#ffffff", "--not-suitable")]
    [InlineData("--not-suitable", "--paper")]
    [InlineData("--not-suitable", "--alert-bg")]
    [InlineData("--not-suitable", "--wash")]
    [InlineData("#ffffff", "#24292f")]
    [InlineData("#24292f", "#ffffff")]
    [InlineData("#c9d1d9", "#24292f")]
    [InlineData("#ffffff", "#3d444d")]
    public void TextColour_OnItsBackground_HasAtLeast4Point5To1(string text, string background) =>
        AssertContrast(text, background, 4.5);

    [Theory]
    [InlineData("#b45309", "--paper")] // the focus ring on the page
    [InlineData("#b45309", "--alert-bg")]
    [InlineData("#b45309", "--ok-bg")]
    [InlineData("#b45309", "--notice-bg")]
    [InlineData("#fbbf24", "#24292f")] // the focus ring on the dark header bar
    [InlineData("#8c959f", "--paper")] // a field's border
    [InlineData("#ffffff", "--precautions")] // a texture's marks, and a bar's white edge, on each verdict's colour
    [InlineData("#ffffff", "--review")]
    [InlineData("#ffffff", "--not-suitable")]
    [InlineData("#ffffff", "--suitable")]
    public void UiColour_OnItsBackground_HasAtLeast3To1(string mark, string background) =>
        AssertContrast(mark, background, 3);

    [Fact]
    public void Contrast_OfBlackOnWhite_Is21To1() =>
        Assert.Equal(21, Contrast("#000000", "#ffffff"), 3);

    [Fact]
    public void StyleSheet_NeverRemovesTheFocusOutline() =>
        Assert.DoesNotMatch(@"outline:\s*(none|0)", Css);

    private static void AssertContrast(string foreground, string background, double minimum)
    {
        var ratio = Contrast(Colour(foreground), Colour(background));
        Assert.True(ratio >= minimum, $"{foreground} on {background}: {ratio:F2}:1, under {minimum}:1");
    }

    /// <summary>A custom property's value in the style sheet, or the colour itself.</summary>
    private static string Colour(string name)
    {
        if (!name.StartsWith("--", StringComparison.Ordinal))
        {
            return name;
        }

        var match = Regex.Match(Css, Regex.Escape(name) + @":\s*(#[0-9a-fA-F]{6})\s*;");
        Assert.True(match.Success, $"{name} is not a colour of the style sheet");
        return match.Groups[1].Value;
    }

    /// <summary>The WCAG contrast ratio of two sRGB colours written #rrggbb.</summary>
    private static double Contrast(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    private static double Luminance(string hex)
    {
        double Channel(int at)
        {
            var c = int.Parse(hex.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Channel(1)) + (0.7152 * Channel(3)) + (0.0722 * Channel(5));
    }
}
