using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyCheck.Core.Json;
using SafetyCheck.Core.Validation;
using SafetyCheck.Fhir.Input;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// Gathers the child's FHIR data for a call (CDS Hooks 2.0, "Providing FHIR Resources"). A prefetch key the client
/// sent is used as sent (null: the EHR has no such data). A key it did not send, or sent as an OperationOutcome (its
/// fetch failed), or as a search with more pages, is fetched from <c>fhirServer</c> with the
/// <c>fhirAuthorization</c> token, following the search's <c>next</c> links on the same server up to
/// <see cref="CdsHooksOptions.MaxFhirPages"/>. When a key can be had neither way the check cannot be made (HTTP 412 and
/// a card saying so): a check on part of a child's record could miss what matters. So is a server's answer that is not
/// a FHIR resource, or holds a string that is not Unicode text (<see cref="UnpairedSurrogates"/>). A search key
/// (<see cref="PrefetchKeys.Searches"/>: conditions, the observations) must be a search result, a Bundle: sent as
/// anything else (a Patient, <c>{}</c>) it is fetched, and answered as anything else by the server it is a failure.
/// </summary>
internal sealed class PatientDataSource(FhirHttp http, IOptions<CdsHooksOptions> options)
{
    private const string FhirJson = "application/fhir+json";

    // As the call's body: a member given twice is not a resource to read one of them from.
    private static readonly JsonDocumentOptions FhirServerJson = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    public async Task<PatientData> GatherAsync(CdsHookCall call, CdsClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(client);
        var prefetch = call.Prefetch is { } sent ? JsonNode.Parse(sent.GetRawText())!.AsObject() : [];
        var fetched = new List<string>();
        foreach (var (key, template) in CdsServices.Prefetch)
        {
            var unusable = prefetch.TryGetPropertyValue(key, out var value) ? Unusable(key, value) : "was not sent";
            if (unusable is null)
            {
                continue;
            }

            if (call.FhirServer is not { } server)
            {
                return Failed($"prefetch '{key}' {unusable}, and the EHR sent no fhirServer to fetch it from");
            }

            if (client.Settings.FhirServers.Count > 0 && !client.Settings.FhirServers.Any(s => SameBase(s, server)))
            {
                return Failed($"fhirServer {server.GetLeftPart(UriPartial.Authority)} is not one this issuer's data may be fetched from (SafetyCheck:CdsHooks:Issuers:FhirServers)");
            }

            var result = await FetchAsync(server, CdsServices.Expand(template, call.PatientId), call.AccessToken, cancellationToken).ConfigureAwait(false);
            if (result.Failure is { } failure)
            {
                return Failed($"prefetch '{key}' could not be fetched: {failure}");
            }

            // A search answered with something other than a search result (a Patient, an empty object) is not "no data".
            if (PrefetchKeys.IsSearch(key) && PrefetchKeys.NotASearchResult(Text(result.Node!["resourceType"]), Text(result.Node!["type"])) is { } what)
            {
                return Failed($"prefetch '{key}' could not be fetched: {server.GetLeftPart(UriPartial.Authority)} answered the search with {what}, not a search result (a Bundle of type searchset)");
            }

            prefetch[key] = result.Node;
            fetched.Add(key);
        }

        using var document = JsonDocument.Parse(prefetch.ToJsonString());
        return new PatientData(FhirJsonReader.ReadPrefetch(document.RootElement), null, fetched);

        PatientData Failed(string reason) => new(null, reason, fetched);
    }

    /// <summary>
    /// Null when the prefetch value of <paramref name="key"/> can be used: null (no data), or a resource that is neither
    /// an OperationOutcome nor a search with more pages, and for a search key (<see cref="PrefetchKeys.Searches"/>) a
    /// search result. Otherwise why not, to be fetched instead.
    /// </summary>
    private static string? Unusable(string key, JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value is not JsonObject resource || Text(resource["resourceType"]) is not { } type)
        {
            return "is not a FHIR resource";
        }

        if (type == "OperationOutcome")
        {
            return "is an OperationOutcome (the EHR could not fetch it)";
        }

        if (PrefetchKeys.IsSearch(key) && PrefetchKeys.NotASearchResult(type, Text(resource["type"])) is { } what)
        {
            return $"is {what}, not a search result (a Bundle of type searchset)";
        }

        return NextLink(resource) is null ? null : "is a search with more pages";
    }

    private static string? NextLink(JsonObject resource) =>
        resource["link"] is JsonArray links
            ? links.OfType<JsonObject>().Where(l => Text(l["relation"]) == "next").Select(l => Text(l["url"]) ?? "").FirstOrDefault()
            : null;

    /// <summary>The string <paramref name="node"/> holds; null for anything else (a cast would throw on a number, and a caller's JSON is never a 500).</summary>
    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static bool SameBase(string allowed, Uri server) =>
        string.Equals(allowed.TrimEnd('/'), server.AbsoluteUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    private async Task<(JsonNode? Node, string? Failure)> FetchAsync(Uri server, string query, string? accessToken, CancellationToken cancellationToken)
    {
        var url = new Uri(server.AbsoluteUri.TrimEnd('/') + "/" + query);
        JsonObject? first = null;
        for (var page = 0; page < options.Value.MaxFhirPages; page++)
        {
            var response = await http.GetJsonAsync(url, accessToken, FhirJson, cancellationToken).ConfigureAwait(false);
            if (response.Failure is { } failure)
            {
                return (null, failure);
            }

            JsonObject resource;
            try
            {
                var unreadable = new List<FieldViolation>();
                using var document = UnpairedSurrogates.Parse(o => JsonDocument.Parse(response.Body!, o), FhirServerJson, unreadable);
                if (document is null)
                {
                    var problem = unreadable[0];
                    return (null, $"{server.GetLeftPart(UriPartial.Authority)} answered with something that is not a FHIR resource: {problem.Field} {problem.Description}");
                }

                resource = document.RootElement.ValueKind == JsonValueKind.Object
                    ? JsonObject.Create(document.RootElement.Clone())!
                    : throw new JsonException("not a JSON object");
            }
            catch (JsonException ex)
            {
                return (null, $"{server.GetLeftPart(UriPartial.Authority)} answered with something that is not a FHIR resource: {ex.Message}");
            }

            if (Text(resource["resourceType"]) == "OperationOutcome")
            {
                return (null, $"{server.GetLeftPart(UriPartial.Authority)} answered with an OperationOutcome");
            }

            var next = NextLink(resource);
            resource.Remove("link");
            if (first is null)
            {
                first = resource;
            }
            else if (resource["entry"] is JsonArray entries)
            {
                var all = first["entry"] as JsonArray ?? [];
                first["entry"] = all;
                foreach (var entry in entries.ToArray())
                {
                    entries.Remove(entry);
                    all.Add(entry);
                }
            }

            if (next is null)
            {
                return (first, null);
            }

            // Pages are followed on the same server only: a next link elsewhere is not followed with the EHR's token.
            if (!Uri.TryCreate(next, UriKind.Absolute, out var nextUrl) || !string.Equals(nextUrl.GetLeftPart(UriPartial.Authority), server.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
            {
                return (null, $"the search's next page is not on {server.GetLeftPart(UriPartial.Authority)}");
            }

            url = nextUrl;
        }

        return (null, $"the search has more than {options.Value.MaxFhirPages} pages");
    }
}
