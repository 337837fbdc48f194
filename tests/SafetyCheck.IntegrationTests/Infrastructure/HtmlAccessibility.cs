using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>
/// What a page's HTML must hold for assistive technology (WCAG 2.2 AA, as far as markup shows it): a language, one
/// <c>h1</c> and headings that skip no level, a label for every field, a caption and scoped header cells in every
/// table, a name for every picture and link, and ids that are unique and that every reference finds.
/// </summary>
internal static class HtmlAccessibility
{
    private static readonly string[] VagueLinkTexts = ["here", "click here", "more", "link", "read more"];

    public static IDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    /// <summary>Asserts the structure every document needs; returns the parsed document for further checks.</summary>
    public static IDocument AssertStructure(string html, string what)
    {
        var document = Parse(html);
        Assert.False(string.IsNullOrWhiteSpace(document.DocumentElement.GetAttribute("lang")), $"{what}: html has no lang");
        Assert.False(string.IsNullOrWhiteSpace(document.Title), $"{what}: no title");

        var headings = document.QuerySelectorAll("h1, h2, h3, h4, h5, h6").ToList();
        Assert.True(headings.Count(h => h.LocalName == "h1") == 1, $"{what}: {headings.Count(h => h.LocalName == "h1")} h1 elements");
        Assert.Equal("h1", headings[0].LocalName);
        for (var i = 1; i < headings.Count; i++)
        {
            var (before, level) = (Level(headings[i - 1]), Level(headings[i]));
            Assert.True(level <= before + 1, $"{what}: h{level} \"{headings[i].TextContent.Trim()}\" follows h{before}");
        }

        Assert.NotNull(document.QuerySelector("main"));
        var ids = document.QuerySelectorAll("[id]").Select(e => e.Id!).ToList();
        var repeated = ids.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repeated.Count == 0, $"{what}: ids used more than once: {string.Join(", ", repeated)}");

        foreach (var field in document.QuerySelectorAll("input:not([type=hidden]), select, textarea, progress"))
        {
            var id = field.Id;
            Assert.False(string.IsNullOrEmpty(id), $"{what}: a {field.LocalName} has no id for its label");
            var labels = document.QuerySelectorAll("label").Where(l => l.GetAttribute("for") == id).ToList();
            Assert.True(labels.Count == 1 && labels[0].TextContent.Trim().Length > 0, $"{what}: #{id} has {labels.Count} labels");
            if (field.GetAttribute("aria-invalid") == "true")
            {
                Assert.False(string.IsNullOrEmpty(field.GetAttribute("aria-describedby")), $"{what}: #{id} is invalid but describes no problem");
            }
        }

        foreach (var reference in document.QuerySelectorAll("[aria-describedby], [aria-labelledby]"))
        {
            var named = $"{reference.GetAttribute("aria-describedby")} {reference.GetAttribute("aria-labelledby")}";
            foreach (var id in named.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.True(document.GetElementById(id) is { } target && target.TextContent.Trim().Length > 0, $"{what}: #{id}, named by a {reference.LocalName}, is missing or empty");
            }
        }

        foreach (var table in document.QuerySelectorAll("table"))
        {
            var caption = table.Children.Length > 0 ? table.Children[0] : null;
            Assert.True(caption?.LocalName == "caption" && caption.TextContent.Trim().Length > 0, $"{what}: table {table.ClassName ?? table.Id} has no caption");
            foreach (var header in table.QuerySelectorAll("th"))
            {
                Assert.True(header.GetAttribute("scope") is "col" or "row", $"{what}: th \"{header.TextContent.Trim()}\" has no scope");
                Assert.True(header.TextContent.Trim().Length > 0, $"{what}: an empty th in table {table.ClassName}");
            }
        }

        foreach (var svg in document.QuerySelectorAll("svg"))
        {
            Assert.Equal("img", svg.GetAttribute("role"));
            Assert.False(string.IsNullOrWhiteSpace(svg.GetAttribute("aria-labelledby") ?? svg.GetAttribute("aria-label")), $"{what}: svg #{svg.Id} has no name");
        }

        foreach (var link in document.QuerySelectorAll("a[href]"))
        {
            var name = (link.GetAttribute("aria-label") ?? link.TextContent).Trim();
            Assert.True(name.Length > 0, $"{what}: a link to {link.GetAttribute("href")} has no text");
            Assert.DoesNotContain(name.ToLowerInvariant(), VagueLinkTexts);
        }

        foreach (var nav in document.QuerySelectorAll("nav"))
        {
            Assert.NotNull(nav.QuerySelector("a[href]"));
            Assert.False(string.IsNullOrWhiteSpace(nav.GetAttribute("aria-label")), $"{what}: a nav has no name");
        }

        return document;
    }

    private static int Level(IElement heading) => heading.LocalName[1] - '0';
}
