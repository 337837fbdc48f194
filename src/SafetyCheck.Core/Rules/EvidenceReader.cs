using System.Globalization;
using Newtonsoft.Json.Linq;
using SafetyCheck.Core.Json;

namespace SafetyCheck.Core.Rules;

/// <summary>Reads an evidence object (<c>{"grade": "A".."D", "citations": [{title, year, url}]}</c>) strictly.</summary>
internal static class EvidenceReader
{
    /// <summary>The years a citation may give: four digits (a typo of a digit too many is refused, not cut short).</summary>
    private const int MinYear = 1000, MaxYear = 9999;

    /// <summary>Reads the required evidence property <paramref name="name"/> of <paramref name="p"/>; null on any problem.</summary>
    public static Evidence? Read(StrictObject p, string name)
    {
        var evidenceObject = p.RequiredObject(name);
        if (evidenceObject is null)
        {
            return null;
        }

        var e = p.Nested(evidenceObject, $"the evidence of {p.What}");
        e.AllowOnly("grade", "citations");
        var grade = e.RequiredString("grade");
        if (grade is not null && grade is not ("A" or "B" or "C" or "D"))
        {
            e.Report(evidenceObject["grade"]!, "'grade' must be \"A\", \"B\", \"C\" or \"D\"");
            grade = null;
        }

        var citations = new List<Citation>();
        var array = e.OptionalArray("citations");
        if (array is null || array.Count == 0)
        {
            e.Report(array ?? (JToken)evidenceObject, "the evidence needs at least one citation");
            return null;
        }

        foreach (var item in array)
        {
            if (item is not JObject citationObject)
            {
                e.Report(item, "each citation must be an object with title, year and url");
                continue;
            }

            var c = p.Nested(citationObject, "a citation");
            c.AllowOnly("title", "year", "url");
            var title = c.RequiredString("title");
            var yearToken = c.OptionalNumber("year");
            var url = c.OptionalString("url") ?? "";
            // Newtonsoft holds an integer as a long, or a BigInteger when it does not fit a long.
            if (yearToken is not { Type: JTokenType.Integer, Value: long year and >= MinYear and <= MaxYear })
            {
                c.Report(yearToken ?? (JToken)citationObject, string.Create(CultureInfo.InvariantCulture, $"a citation needs an integer 'year' from {MinYear} to {MaxYear}"));
                continue;
            }

            if (url.Length > 0 && !Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                c.Report(citationObject["url"]!, $"'{url}' is not an absolute URL");
            }

            if (title is not null)
            {
                citations.Add(new Citation(title, (int)year, url));
            }
        }

        return grade is null || citations.Count != array.Count ? null : new Evidence(grade, citations);
    }
}
