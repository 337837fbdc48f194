using System.Globalization;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using SafetyCheck.Core.Json;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.Fhir.Input;

/// <summary>
/// Reads FHIR R4 JSON with the Firely SDK: a Bundle, a single resource, or a CDS Hooks prefetch object (named
/// entries, each a resource, a searchset Bundle or null).
/// </summary>
/// <remarks>
/// The SDK parses in its <c>NOOVERFLOW</c> mode: every value lands in a typed element or the input is refused, so
/// an element with the wrong type, an unknown element or a malformed date is a problem named by its path
/// (<c>Bundle.entry[0].resource.birthDate</c>), never a value read wrongly. Rules the check does not depend on
/// (cardinality of resources it ignores, for example) do not refuse the input. System.Text.Json only splits a
/// prefetch object into its entries; the FHIR content is always read by the SDK.
/// <para>A property given twice in one object is refused wherever it is, named by its path
/// (<c>prefetch.patient</c>, <c>Bundle.entry[0].resource.code</c>): JSON leaves its meaning open, so which value
/// counts would be a guess. System.Text.Json keeps both by default (a prefetch would then hold two <c>patient</c>
/// entries), and the SDK, which refuses other duplicates itself, silently keeps the first of two
/// <c>resourceType</c>s; so caller JSON is parsed with duplicates refused, and an element parsed by the caller is
/// searched for them before anything is read.</para>
/// </remarks>
public static class FhirJsonReader
{
    private static readonly FhirJsonDeserializer Deserializer = FhirJsonDeserializer.NOOVERFLOW;

    /// <summary>How caller JSON is parsed: a property given twice in one object is an error.</summary>
    private static readonly JsonDocumentOptions NoDuplicates = new() { AllowDuplicateProperties = false };

    /// <summary>Reads <paramref name="json"/>: a Bundle, one resource, or a prefetch object.</summary>
    public static FhirResourceSet Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument? document;
        var notText = new List<FieldViolation>();
        try
        {
            document = UnpairedSurrogates.Parse(options => JsonDocument.Parse(json, options), NoDuplicates, notText);
        }
        catch (JsonException ex)
        {
            return FhirResourceSet.Unusable(NotJson(json, ex));
        }

        if (document is null)
        {
            return FhirResourceSet.Unusable(notText);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return FhirResourceSet.Unusable([new FieldViolation("$", "must be a JSON object: a FHIR Bundle, a resource, or a CDS Hooks prefetch")]);
            }

            // Parsed with duplicates refused: nothing is left for ReadPrefetch to search for.
            return root.TryGetProperty("resourceType", out _)
                ? ReadResource(json)
                : ReadPrefetchEntries(root);
        }
    }

    /// <summary>
    /// Reads a CDS Hooks prefetch object: each entry a resource, a Bundle, or null. A property given twice anywhere in
    /// it (however the caller parsed it) makes it unusable; so does a missing <see cref="PrefetchKeys.Conditions"/> key,
    /// or a search key (<see cref="PrefetchKeys.Searches"/>) that holds something other than a search result.
    /// </summary>
    public static FhirResourceSet ReadPrefetch(JsonElement prefetch)
    {
        if (prefetch.ValueKind != JsonValueKind.Object)
        {
            return FhirResourceSet.Unusable([new FieldViolation("prefetch", "must be a JSON object of named entries")]);
        }

        var duplicates = new List<FieldViolation>();
        FindDuplicates(prefetch, "prefetch", duplicates);
        return duplicates.Count > 0 ? FhirResourceSet.Unusable(duplicates) : ReadPrefetchEntries(prefetch);
    }

    /// <summary>The entries of a prefetch object known to give no property twice.</summary>
    private static FhirResourceSet ReadPrefetchEntries(JsonElement prefetch)
    {
        var entries = new List<KeyValuePair<string, Resource?>>();
        var problems = new List<FieldViolation>();
        foreach (var property in prefetch.EnumerateObject())
        {
            var location = "prefetch." + property.Name;
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Null:
                    entries.Add(new(property.Name, null));
                    break;
                case JsonValueKind.Object when !property.Value.TryGetProperty("resourceType", out var type) || type.ValueKind != JsonValueKind.String:
                    problems.Add(new FieldViolation(location, "is not a FHIR resource: it has no resourceType (send a resource, a Bundle, or null for no data)"));
                    break;
                case JsonValueKind.Object:
                    var before = problems.Count;
                    if (Deserialize(property.Value.GetRawText(), location, withLines: false, problems) is { } resource)
                    {
                        entries.Add(new(property.Name, resource));
                    }
                    else if (problems.Count == before)
                    {
                        // Never dropped in silence: an entry read as nothing would count as "no data".
                        problems.Add(new FieldViolation(location, "is not a FHIR resource: it has no resourceType"));
                    }

                    break;
                default:
                    problems.Add(new FieldViolation(location, "must be a FHIR resource, a Bundle or null"));
                    break;
            }
        }

        if (!prefetch.TryGetProperty(PrefetchKeys.Conditions, out _))
        {
            // Absent is not "none": an EHR with no conditions sends null (or an empty search result).
            problems.Add(new FieldViolation("prefetch." + PrefetchKeys.Conditions, "is required: the child's Conditions as a search result (a Bundle of type searchset), or null when the EHR has none; a check without them could miss what matters"));
        }

        var set = FhirResourceSet.FromPrefetch(entries);
        return problems.Count == 0 ? set : FhirResourceSet.Unusable(problems).Concat(set);
    }

    /// <summary>
    /// Why <paramref name="json"/> could not be parsed: each property given twice, by path, when that is all that is
    /// wrong (System.Text.Json does not say where); otherwise the parser's message.
    /// </summary>
    private static List<FieldViolation> NotJson(string json, JsonException error)
    {
        var duplicates = new List<FieldViolation>();
        try
        {
            using var lenient = JsonDocument.Parse(json);
            var root = lenient.RootElement;
            FindDuplicates(root, RootPath(root), duplicates);
        }
        catch (JsonException)
        {
            // Not JSON at all: the first parse's message says where.
        }

        return duplicates.Count > 0 ? duplicates : [new FieldViolation("$", "is not JSON: " + error.Message)];
    }

    /// <summary>How paths start, as <see cref="Read"/> names what it reads: the resource type, or <c>prefetch</c>.</summary>
    private static string RootPath(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "$";
        }

        foreach (var property in root.EnumerateObject())
        {
            if (property.NameEquals("resourceType"))
            {
                return property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 } type ? type : "$";
            }
        }

        return "prefetch";
    }

    /// <summary>Adds a violation for each property name given more than once in one object, at any depth under <paramref name="element"/>.</summary>
    private static void FindDuplicates(JsonElement element, string path, List<FieldViolation> found)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                var reported = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var at = path + "." + property.Name;
                    if (seen.Add(property.Name))
                    {
                        FindDuplicates(property.Value, at, found);
                    }
                    else if (reported.Add(property.Name))
                    {
                        found.Add(new FieldViolation(at, $"is not valid FHIR JSON: '{property.Name}' is given more than once in the same object, and which value counts would be a guess; give each property once"));
                    }
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    FindDuplicates(item, $"{path}[{index++}]", found);
                }

                break;
        }
    }

    private static FhirResourceSet ReadResource(string json)
    {
        var problems = new List<FieldViolation>();
        var resource = Deserialize(json, location: null, withLines: true, problems);
        return resource is null ? FhirResourceSet.Unusable(problems) : FhirResourceSet.FromResource(resource);
    }

    /// <summary>The resource, or null with every problem the SDK reported added to <paramref name="problems"/>.</summary>
    private static Resource? Deserialize(string json, string? location, bool withLines, List<FieldViolation> problems)
    {
        try
        {
            return Deserializer.DeserializeResource(json);
        }
        catch (DeserializationFailedException ex)
        {
            foreach (var error in ex.Exceptions)
            {
                problems.Add(ToViolation(error, location, withLines));
            }

            if (ex.Exceptions.Count == 0)
            {
                problems.Add(new FieldViolation(location ?? "$", ex.Message));
            }

            return null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            problems.Add(new FieldViolation(location ?? "$", "is not a FHIR R4 resource: " + ex.Message));
            return null;
        }
    }

    private static FieldViolation ToViolation(CodedException error, string? location, bool withLines)
    {
        if (error is not ExtendedCodedException detailed)
        {
            return new FieldViolation(location ?? "$", error.Message);
        }

        var path = detailed.InstancePath ?? "";
        if (location is not null)
        {
            // The SDK names the path from the resource type ("Bundle.entry[0]..."): name it from the prefetch key.
            var dot = path.IndexOf('.', StringComparison.Ordinal);
            path = dot < 0 ? location : location + path[dot..];
        }

        var description = detailed.BaseErrorMessage ?? detailed.Message;
        if (withLines && detailed.LineNumber is { } line && detailed.Position is { } position)
        {
            description += string.Create(CultureInfo.InvariantCulture, $" (line {line}, position {position})");
        }

        return new FieldViolation(path.Length == 0 ? "$" : path, description);
    }
}
