using System.Globalization;
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
/// <c>fhirAuthorization</c> token, following the search's <c>next</c> links under that FHIR base URL only up to
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

    /// <summary>
    /// The child's data for <paramref name="call"/>. <paramref name="since"/> is the earliest session date of the call:
    /// a body temperature fetched from the server is asked for from the day before it on (only the session day's
    /// reading is used; the day before covers a server that reads dates in another time zone).
    /// </summary>
    public async Task<PatientData> GatherAsync(CdsHookCall call, CdsClient client, DateOnly since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(client);
        var prefetch = call.Prefetch is { } sent ? JsonNode.Parse(sent.GetRawText())!.AsObject() : [];
        var missing = new List<(string Key, string Query)>();
        foreach (var (key, template) in CdsServices.Prefetch)
        {
            var unusable = prefetch.TryGetPropertyValue(key, out var value) ? Unusable(key, value) : "was not sent";
            if (unusable is null)
            {
                continue;
            }

            if (call.FhirServer is not { } server)
            {
                return Failed($"prefetch '{key}' {unusable}, and the EHR sent no fhirServer to fetch it from", []);
            }

            // Only a server configured for the token's issuer is called, with its fhirAuthorization: a fhirServer in
            // the body is the caller's word, and could name another EHR's server or one inside this service's network.
            if (!client.Settings.FhirServers.Any(s => SameBase(s, server)))
            {
                return Failed(client.Settings.FhirServers.Count == 0
                    ? $"prefetch '{key}' {unusable}, and no FHIR server is configured for this EHR to fetch it from (SafetyCheck:CdsHooks:Issuers:FhirServers): send it prefetched"
                    : $"prefetch '{key}' {unusable}, and fhirServer {server.GetLeftPart(UriPartial.Authority)} is not one this EHR's data may be fetched from (SafetyCheck:CdsHooks:Issuers:FhirServers)", []);
            }

            missing.Add((key, CdsServices.FetchQuery(key, template, call.PatientId, since)));
        }

        var fetched = new List<string>();
        if (missing.Count > 0)
        {
            // Independent queries, fetched at once, all within one budget: seven slow answers cost one wait, not seven.
            var budgetSeconds = options.Value.FhirBudgetSeconds;
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            budget.CancelAfter(TimeSpan.FromSeconds(budgetSeconds));
            var results = await Task.WhenAll(missing.Select(m => FetchKeyAsync(call.FhirServer!, m.Key, m.Query, call.AccessToken, budget))).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();

            // The first failure in template order, so the card says the same whatever answered first; a fetch
            // abandoned because another failed is not a failure of its own.
            if (results.FirstOrDefault(r => r.Failure is not null && !r.Abandoned) is { } failed)
            {
                return Failed(failed.Failure!, [.. results.Where(r => r.Failure is null).Select(r => r.Key)]);
            }

            if (results.FirstOrDefault(r => r.Failure is not null) is { } overBudget)
            {
                return Failed(overBudget.Failure!, [.. results.Where(r => r.Failure is null).Select(r => r.Key)]);
            }

            foreach (var result in results)
            {
                prefetch[result.Key] = result.Node;
                fetched.Add(result.Key);
            }
        }

        using var document = JsonDocument.Parse(prefetch.ToJsonString());
        return new PatientData(FhirJsonReader.ReadPrefetch(document.RootElement), null, fetched);

        static PatientData Failed(string reason, IReadOnlyList<string> done) => new(null, reason, done);
    }

    private async Task<KeyResult> FetchKeyAsync(Uri server, string key, string query, string? accessToken, CancellationTokenSource budget)
    {
        var token = budget.Token;
        try
        {
            var result = await FetchAsync(server, query, accessToken, token).ConfigureAwait(false);
            if (result.Failure is { } failure)
            {
                return Fail($"prefetch '{key}' could not be fetched: {failure}", abandoned: false);
            }

            // A search answered with something other than a search result (a Patient, an empty object) is not "no data".
            if (PrefetchKeys.IsSearch(key) && PrefetchKeys.NotASearchResult(Text(result.Node!["resourceType"]), Text(result.Node!["type"])) is { } what)
            {
                return Fail($"prefetch '{key}' could not be fetched: {server.GetLeftPart(UriPartial.Authority)} answered the search with {what}, not a search result (a Bundle of type searchset)", abandoned: false);
            }

            return new KeyResult(key, result.Node, null, false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The budget ran out, another key failed (its fetches are no longer needed), or the EHR hung up (the caller rethrows).
            return new KeyResult(key, null, $"prefetch '{key}' could not be fetched: the FHIR server's answers did not all come within {options.Value.FhirBudgetSeconds} s (FhirBudgetSeconds)", true);
        }

        KeyResult Fail(string why, bool abandoned)
        {
            // The check cannot be made without this key: the other fetches are stopped.
            budget.Cancel();
            return new KeyResult(key, null, why, abandoned);
        }
    }

    /// <summary>One key's fetch: its search result, or why there is none (<paramref name="Abandoned"/>: stopped by the budget or by another key's failure).</summary>
    private sealed record KeyResult(string Key, JsonNode? Node, string? Failure, bool Abandoned);

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

    /// <summary>
    /// Whether <paramref name="server"/> is the base URL <paramref name="allowed"/>: scheme and host in any case (as
    /// <see cref="Uri"/> writes them), the path exactly, a trailing slash either way.
    /// </summary>
    private static bool SameBase(string allowed, Uri server) =>
        Uri.TryCreate(allowed, UriKind.Absolute, out var uri)
        && string.Equals(uri.AbsoluteUri.TrimEnd('/'), server.AbsoluteUri.TrimEnd('/'), StringComparison.Ordinal);

    /// <summary>
    /// Whether <paramref name="url"/> is under the FHIR base URL <paramref name="fhirBase"/>: the same scheme, host and
    /// port, no user info, and a path that is the base's path or starts with it followed by <c>/</c> (a query after the
    /// base's path itself, <c>base?…</c>, is under it). Paths are compared exactly, after <see cref="Uri"/> has removed
    /// dot segments; a path that still holds one, escaped (<c>%2E%2E</c>, <c>..%2F</c>), is not under any base, as a
    /// server may resolve it to another path.
    /// </summary>
    internal static bool IsUnderBase(Uri fhirBase, Uri url)
    {
        ArgumentNullException.ThrowIfNull(fhirBase);
        ArgumentNullException.ThrowIfNull(url);
        if (!fhirBase.IsAbsoluteUri || !url.IsAbsoluteUri
            || !string.Equals(url.Scheme, fhirBase.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(url.IdnHost, fhirBase.IdnHost, StringComparison.OrdinalIgnoreCase)
            || url.Port != fhirBase.Port
            || !string.IsNullOrEmpty(url.UserInfo))
        {
            return false;
        }

        var path = url.AbsolutePath;
        if (Uri.UnescapeDataString(path).Replace('\\', '/').Split('/').Any(segment => segment is "." or ".."))
        {
            return false;
        }

        var basePath = fhirBase.AbsolutePath.TrimEnd('/');
        return path == basePath || path.StartsWith(basePath + "/", StringComparison.Ordinal);
    }

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

            // A login page or a proxy's error page, answered with 200: say so rather than show a JSON parser's message.
            if (response.Body!.AsSpan().TrimStart().StartsWith("<"))
            {
                return (null, $"{server.GetLeftPart(UriPartial.Authority)} answered with HTML, not FHIR JSON (a login or error page?)");
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
                var where = ex.LineNumber is { } line ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, byte {ex.BytePositionInLine + 1})") : "";
                return (null, $"{server.GetLeftPart(UriPartial.Authority)} answered with something that is not FHIR JSON{where}");
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

            // A relative link is resolved against the server's base (FHIR: relative URLs are relative to the service
            // base). Pages are followed under that base only (server is one of the issuer's FhirServers): a next link
            // to another server, or to another path on the same one, is not followed with the EHR's token, and the
            // pages read so far are not taken for the whole result.
            if (!Uri.TryCreate(new Uri(server.AbsoluteUri.TrimEnd('/') + "/"), next, out var nextUrl) || !IsUnderBase(server, nextUrl))
            {
                return (null, $"the search's next page is on another server or path than {server.AbsoluteUri.TrimEnd('/')} (the FHIR base allowed for this EHR): it was not fetched");
            }

            url = nextUrl;
        }

        return (null, $"the search has more than {options.Value.MaxFhirPages} pages");
    }
}
