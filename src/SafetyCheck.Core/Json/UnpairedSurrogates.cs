using System.Runtime.InteropServices;
using System.Text.Json;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.Core.Json;

/// <summary>
/// Finds the strings of a parsed JSON document that are not Unicode text: a <c>\uD800</c>–<c>\uDFFF</c> escape without
/// its other half (member names too). JSON's grammar allows such an escape and <see cref="JsonDocument"/> parses it,
/// but no string can hold it, so <see cref="JsonElement.GetString"/> (and <see cref="JsonProperty.Name"/>) throw when
/// it is read. Each body the service parses is searched once, right after parsing, so that no reader ever meets one:
/// a caller's is refused naming its path (a CDS Hooks call or feedback, the FHIR input of <c>eval --fhir</c>), a FHIR
/// server's answer is a failure naming it.
/// </summary>
public static class UnpairedSurrogates
{
    /// <summary>Most strings reported (and searched past): a body full of them costs no more than this many.</summary>
    public const int MaxReported = 10;

    /// <summary>What is wrong with such a string.</summary>
    public const string Description = "is not Unicode text: it holds a \\uD800-\\uDFFF escape without its other half (an unpaired UTF-16 surrogate)";

    /// <summary>
    /// Parses a document with <paramref name="options"/> (<paramref name="parse"/> may be called twice, each time from
    /// the start) and searches it: null, with the strings that are not text in <paramref name="found"/>, when it holds
    /// one. JSON that is not valid throws <see cref="JsonException"/>, as <see cref="JsonDocument.Parse(string, JsonDocumentOptions)"/> does.
    /// </summary>
    public static JsonDocument? Parse(Func<JsonDocumentOptions, JsonDocument> parse, JsonDocumentOptions options, List<FieldViolation> found)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(found);
        JsonDocument document;
        try
        {
            document = parse(options);
        }
        catch (InvalidOperationException) when (!options.AllowDuplicateProperties)
        {
            // Refusing duplicate members decodes every member name while parsing, and throws at one that is not text
            // without saying where: parsed again with duplicates allowed, the search names it.
            using var lenient = parse(options with { AllowDuplicateProperties = true });
            Find(lenient.RootElement, "", found);
            if (found.Count == 0)
            {
                found.Add(new FieldViolation("$", "has a member whose name " + Description));
            }

            return null;
        }

        Find(document.RootElement, "", found);
        if (found.Count == 0)
        {
            return document;
        }

        document.Dispose();
        return null;
    }

    /// <summary>
    /// Adds a violation for each string under <paramref name="element"/> that is not Unicode text (at most
    /// <see cref="MaxReported"/>), named by its path from <paramref name="path"/> (<c>""</c> for the document's root:
    /// <c>context.patientId</c>, <c>feedback[0].card</c>; the root itself is <c>$</c>). A member whose name is not
    /// text is named by its object, and what it holds is not searched.
    /// </summary>
    public static void Find(JsonElement element, string path, List<FieldViolation> found)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(found);
        if (found.Count >= MaxReported)
        {
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                if (!IsText(element))
                {
                    found.Add(new FieldViolation(Named(path), Description));
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!HasTextName(property, out var name))
                    {
                        found.Add(new FieldViolation(Named(path), "has a member whose name " + Description));
                    }
                    else
                    {
                        Find(property.Value, path.Length == 0 ? name : path + "." + name, found);
                    }

                    if (found.Count >= MaxReported)
                    {
                        return;
                    }
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Find(item, $"{Named(path)}[{index++}]", found);
                    if (found.Count >= MaxReported)
                    {
                        return;
                    }
                }

                break;
        }
    }

    private static string Named(string path) => path.Length == 0 ? "$" : path;

    // Only an escape can make a string that is not text: the parser has already refused UTF-8 that is not valid, and
    // UTF-8 cannot encode a lone surrogate. So a string without a backslash is text, and only escaped ones are decoded.
    private static bool IsText(JsonElement value)
    {
        if (!JsonMarshal.GetRawUtf8Value(value).Contains((byte)'\\'))
        {
            return true;
        }

        try
        {
            _ = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool HasTextName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }
}
