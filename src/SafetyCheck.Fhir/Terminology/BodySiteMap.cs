using System.Collections.Frozen;
using System.Text.Json;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Terminology;

namespace SafetyCheck.Fhir.Terminology;

/// <summary>
/// SNOMED CT body structures (<c>Condition.bodySite</c>) to the body areas of a session. Data, not code: the table is
/// <c>BodySites/body-sites.json</c>, embedded in this assembly (<see cref="Default"/>), or any document of the same
/// shape (<see cref="Parse"/>). A site may fall in several areas (head and neck); the areas are in enum order.
/// </summary>
public sealed class BodySiteMap
{
    private const string ResourceName = "SafetyCheck.Fhir.body-sites.json";

    private static readonly Lazy<BodySiteMap> Embedded = new(LoadEmbedded);

    private readonly FrozenDictionary<string, IReadOnlyList<BodyArea>> areasByCode;

    private BodySiteMap(FrozenDictionary<string, IReadOnlyList<BodyArea>> areasByCode) => this.areasByCode = areasByCode;

    /// <summary>The table shipped in this assembly.</summary>
    public static BodySiteMap Default => Embedded.Value;

    /// <summary>How many SNOMED CT concepts the table maps.</summary>
    public int Count => areasByCode.Count;

    /// <summary>The areas a SNOMED CT concept id falls in; empty when the table does not list it.</summary>
    public IReadOnlyList<BodyArea> AreasOf(string snomedCode)
    {
        ArgumentNullException.ThrowIfNull(snomedCode);
        return areasByCode.TryGetValue(snomedCode, out var areas) ? areas : [];
    }

    /// <summary>Parses a table: <c>{ "sites": [ { "code": "69536005", "display": "Head", "areas": ["HEAD"] } ] }</c>.</summary>
    /// <exception cref="FormatException">Not that shape, an unknown area name, a code that is not a SNOMED CT id, or a code listed twice.</exception>
    public static BodySiteMap Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            var map = new Dictionary<string, IReadOnlyList<BodyArea>>(StringComparer.Ordinal);
            foreach (var site in document.RootElement.GetProperty("sites").EnumerateArray())
            {
                var code = site.GetProperty("code").GetString() ?? "";
                if (SnomedCtId.Problem(code) is { } problem)
                {
                    throw new FormatException($"body site '{code}' is not a SNOMED CT concept id: {problem}");
                }

                var areas = new List<BodyArea>();
                foreach (var name in site.GetProperty("areas").EnumerateArray())
                {
                    if (!EnumNames.TryParse<BodyArea>(name.GetString(), out var area))
                    {
                        throw new FormatException($"body site {code}: '{name}' is not a body area ({string.Join(", ", EnumNames.All<BodyArea>())})");
                    }

                    areas.Add(area);
                }

                if (areas.Count == 0)
                {
                    throw new FormatException($"body site {code} has no areas");
                }

                if (!map.TryAdd(code, areas.Distinct().Order().ToArray()))
                {
                    throw new FormatException($"body site {code} is listed twice");
                }
            }

            return new BodySiteMap(map.ToFrozenDictionary(StringComparer.Ordinal));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException("not a body-site table: " + ex.Message, ex);
        }
    }

    private static BodySiteMap LoadEmbedded()
    {
        using var stream = typeof(BodySiteMap).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}
