using System.Globalization;
using Newtonsoft.Json.Linq;
using SafetyCheck.Core.Json;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Core.Terminology;

/// <summary>
/// Reads one SNOMED CT expansion file strictly (unknown or missing properties, wrong types, ids that are not concept
/// ids, duplicates), reporting every problem at its line and column. The format:
/// <code>
/// {
///   "concept": "128188000",
///   "display": "Cerebral palsy",
///   "note": "optional: how the list was made",
///   "sources": [ { "id": "ips-free-set", "title": "...", "url": "...", "version": "http://snomed.info/sct/version/20220731", "date": "2022-08-31" } ],
///   "descendants": [ { "code": "230773005", "display": "Spastic cerebral palsy", "source": "ips-free-set" } ]
/// }
/// </code>
/// The file is named after its concept: <c>128188000.json</c>.
/// </summary>
internal static class SnomedExpansionReader
{
    /// <summary>The expansion, or null when the file has any problem (each reported to <paramref name="diagnostics"/>).</summary>
    public static SnomedExpansion? Read(string file, string text, ICollection<Diagnostic> diagnostics)
    {
        int before = diagnostics.Count;
        var source = JsonSourceFile.Parse(file, text, diagnostics);
        if (source.Root is null)
        {
            return null;
        }

        if (source.Root is not JObject root)
        {
            diagnostics.Add(source.At(source.Root, "an expansion file is an object with concept, display, sources and descendants"));
            return null;
        }

        var expansion = new StrictObject(source, root, "the expansion", diagnostics);
        expansion.AllowOnlyAtTop("concept", "display", "note", "sources", "descendants");
        var concept = ReadConcept(expansion, file);
        var display = expansion.RequiredString("display");
        var note = expansion.OptionalString("note") ?? "";
        var sources = ReadSources(expansion);
        var descendants = ReadDescendants(expansion, concept, sources);
        if (diagnostics.Count > before || concept is null || display is null)
        {
            return null;
        }

        var (line, column) = source.StartOf(root["concept"]!);
        return new SnomedExpansion(file, concept, display, note, sources.Values.ToArray(), descendants) { Line = line, Column = column };
    }

    private static string? ReadConcept(StrictObject expansion, string file)
    {
        var concept = expansion.RequiredString("concept");
        if (concept is null)
        {
            return null;
        }

        var token = expansion.Json["concept"]!;
        if (SnomedCtId.Problem(concept) is { } problem)
        {
            expansion.Report(token, $"'{concept}' is not a SNOMED CT concept id: {problem}");
            return null;
        }

        if (!string.Equals(Path.GetFileNameWithoutExtension(file), concept, StringComparison.Ordinal))
        {
            expansion.Report(token, $"the expansion of {concept} belongs in a file named {concept}.json");
            return null;
        }

        return concept;
    }

    private static Dictionary<string, ExpansionSource> ReadSources(StrictObject expansion)
    {
        var sources = new Dictionary<string, ExpansionSource>(StringComparer.Ordinal);
        if (expansion.Json["sources"] is null)
        {
            expansion.Report(expansion.Json, "the expansion is missing required property 'sources' (where its codes came from)");
            return sources;
        }

        var array = expansion.OptionalArray("sources");
        if (array is not null && array.Count == 0)
        {
            expansion.Report(array, "'sources' is empty: name at least the source the descendants came from");
        }

        foreach (var item in array ?? [])
        {
            if (item is not JObject sourceObject)
            {
                expansion.Report(item, "each source is an object with id, title, version and date");
                continue;
            }

            var s = expansion.Nested(sourceObject, "a source");
            s.AllowOnly("id", "title", "url", "version", "date");
            var id = s.RequiredString("id");
            var title = s.RequiredString("title");
            var url = s.OptionalString("url");
            var version = s.RequiredString("version");
            var dateText = s.RequiredString("date");
            if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            {
                s.Report(sourceObject["url"]!, $"'url' must be an absolute http or https address, not \"{url}\"");
                url = null;
            }

            DateOnly date = default;
            if (dateText is not null && !DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                s.Report(sourceObject["date"]!, $"'date' must be a date written YYYY-MM-DD, not \"{dateText}\"");
                dateText = null;
            }

            if (id is not null && sources.ContainsKey(id))
            {
                s.Report(sourceObject["id"]!, $"source id '{id}' is used twice");
                continue;
            }

            if (id is not null && title is not null && version is not null && dateText is not null)
            {
                sources.Add(id, new ExpansionSource(id, title, url, version, date));
            }
        }

        return sources;
    }

    private static List<SnomedDescendant> ReadDescendants(StrictObject expansion, string? concept, Dictionary<string, ExpansionSource> sources)
    {
        var descendants = new List<SnomedDescendant>();
        if (expansion.Json["descendants"] is null)
        {
            expansion.Report(expansion.Json, "the expansion is missing required property 'descendants' (an empty list when the concept has no subtypes)");
            return descendants;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in expansion.OptionalArray("descendants") ?? [])
        {
            if (item is not JObject descendantObject)
            {
                expansion.Report(item, "each descendant is an object with code, display and source");
                continue;
            }

            var d = expansion.Nested(descendantObject, "a descendant");
            d.AllowOnly("code", "display", "source");
            var code = d.RequiredString("code");
            var display = d.RequiredString("display");
            var sourceId = d.RequiredString("source");
            var (line, column) = d.Source.StartOf(descendantObject["code"] ?? descendantObject);
            if (code is not null && SnomedCtId.Problem(code) is { } problem)
            {
                d.Report(descendantObject["code"]!, $"'{code}' is not a SNOMED CT concept id: {problem}");
                code = null;
            }
            else if (code is not null && code == concept)
            {
                d.Report(descendantObject["code"]!, $"{code} is the expanded concept itself; list only its descendants");
                code = null;
            }
            else if (code is not null && !seen.TryAdd(code, line))
            {
                d.Report(descendantObject["code"]!, $"descendant {code} is listed twice (first at line {seen[code]})");
                code = null;
            }

            if (sourceId is not null && !sources.ContainsKey(sourceId) && expansion.Json["sources"] is JArray)
            {
                d.Report(descendantObject["source"]!, $"source '{sourceId}' is not one of the file's sources ({string.Join(", ", sources.Keys)})");
                sourceId = null;
            }

            if (code is not null && display is not null && sourceId is not null)
            {
                descendants.Add(new SnomedDescendant(code, display, sourceId) { Line = line, Column = column });
            }
        }

        return descendants;
    }
}
