using System.Globalization;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
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
/// </remarks>
public static class FhirJsonReader
{
    private static readonly FhirJsonDeserializer Deserializer = FhirJsonDeserializer.NOOVERFLOW;

    /// <summary>Reads <paramref name="json"/>: a Bundle, one resource, or a prefetch object.</summary>
    public static FhirResourceSet Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            return FhirResourceSet.Unusable([new FieldViolation("$", "is not JSON: " + ex.Message)]);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return FhirResourceSet.Unusable([new FieldViolation("$", "must be a JSON object: a FHIR Bundle, a resource, or a CDS Hooks prefetch")]);
            }

            return root.TryGetProperty("resourceType", out _)
                ? ReadResource(json)
                : ReadPrefetch(root);
        }
    }

    /// <summary>Reads a CDS Hooks prefetch object: each entry a resource, a Bundle, or null.</summary>
    public static FhirResourceSet ReadPrefetch(JsonElement prefetch)
    {
        if (prefetch.ValueKind != JsonValueKind.Object)
        {
            return FhirResourceSet.Unusable([new FieldViolation("prefetch", "must be a JSON object of named entries")]);
        }

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
                case JsonValueKind.Object:
                    if (Deserialize(property.Value.GetRawText(), location, withLines: false, problems) is { } resource)
                    {
                        entries.Add(new(property.Name, resource));
                    }

                    break;
                default:
                    problems.Add(new FieldViolation(location, "must be a FHIR resource, a Bundle or null"));
                    break;
            }
        }

        var set = FhirResourceSet.FromPrefetch(entries);
        return problems.Count == 0 ? set : FhirResourceSet.Unusable(problems).Concat(set);
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
