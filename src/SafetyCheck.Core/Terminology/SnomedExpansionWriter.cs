using System.Globalization;
using System.Text;
using Newtonsoft.Json;

namespace SafetyCheck.Core.Terminology;

/// <summary>
/// Writes an expansion file in the format <see cref="SnomedExpansionReader"/> reads, deterministically: sources in
/// the order given, descendants sorted by display (ordinal, ignoring case) then code, one descendant per line so
/// that a regenerated file diffs line by line. The file names its JSON Schema first (<c>$schema</c>, see
/// <see cref="Json.SchemaReference"/>), and its layout is the one <c>safetycheck fmt</c> gives it.
/// </summary>
public static class SnomedExpansionWriter
{
    /// <summary>The path of the expansion of <paramref name="concept"/>, relative to the rule directory.</summary>
    public static string PathOf(string concept) => $"{TerminologyFiles.SnomedFolder}{concept}.json";

    /// <summary>The file's text, ending with a newline.</summary>
    public static string Write(SnomedExpansion expansion)
    {
        ArgumentNullException.ThrowIfNull(expansion);
        var text = new StringBuilder();
        text.Append("{\n");
        var schema = Json.SchemaReference.RelativeReference(PathOf(expansion.Concept), Json.SchemaReference.SnomedExpansionFile);
        text.Append(CultureInfo.InvariantCulture, $"  \"{Json.SchemaReference.MemberName}\": {Quote(schema)},\n");
        text.Append(CultureInfo.InvariantCulture, $"  \"concept\": {Quote(expansion.Concept)},\n");
        text.Append(CultureInfo.InvariantCulture, $"  \"display\": {Quote(expansion.Display)},\n");
        if (expansion.Note.Length > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"  \"note\": {Quote(expansion.Note)},\n");
        }

        text.Append("  \"sources\": [\n");
        for (int i = 0; i < expansion.Sources.Count; i++)
        {
            var source = expansion.Sources[i];
            text.Append(CultureInfo.InvariantCulture, $"    {{ \"id\": {Quote(source.Id)}, \"title\": {Quote(source.Title)}, ");
            if (source.Url is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"\"url\": {Quote(source.Url)}, ");
            }

            text.Append(CultureInfo.InvariantCulture, $"\"version\": {Quote(source.Version)}, \"date\": \"{source.Date:yyyy-MM-dd}\" }}");
            text.Append(i + 1 < expansion.Sources.Count ? ",\n" : "\n");
        }

        text.Append("  ],\n");
        var descendants = expansion.Descendants
            .OrderBy(d => d.Display, StringComparer.OrdinalIgnoreCase)
            .ThenBy(d => d.Display, StringComparer.Ordinal)
            .ThenBy(d => d.Code, StringComparer.Ordinal)
            .ToList();
        if (descendants.Count == 0)
        {
            text.Append("  \"descendants\": []\n");
        }
        else
        {
            text.Append("  \"descendants\": [\n");
            for (int i = 0; i < descendants.Count; i++)
            {
                var d = descendants[i];
                text.Append(CultureInfo.InvariantCulture, $"    {{ \"code\": {Quote(d.Code)}, \"display\": {Quote(d.Display)}, \"source\": {Quote(d.Source)} }}");
                text.Append(i + 1 < descendants.Count ? ",\n" : "\n");
            }

            text.Append("  ]\n");
        }

        text.Append("}\n");
        return text.ToString();
    }

    private static string Quote(string value) => JsonConvert.ToString(value);
}
