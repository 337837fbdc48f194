using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace SafetyCheck.Terminology;

/// <summary>
/// Expands SNOMED CT concepts on a FHIR R4 terminology server:
/// <c>GET {server}/ValueSet/$expand?url=http://snomed.info/sct?fhir_vs=ecl/&lt;&lt;ID&amp;count=N&amp;offset=M</c>,
/// page after page until the expansion's <c>total</c> is reached or a page comes back empty. Inactive concepts are
/// left out, and so is the concept itself (<c>&lt;&lt;</c> includes it).
/// </summary>
internal sealed class FhirExpansionClient(HttpClient http, Uri server, int pageSize)
{
    /// <summary>The most pages one expansion may take; a server that ignores <c>offset</c> is caught well before.</summary>
    private const int MaxPages = 10_000;

    /// <summary>The expansion of <paramref name="concept"/>.</summary>
    /// <exception cref="TerminologyServerException">Unreachable, timed out, an HTTP error, or not a ValueSet expansion.</exception>
    public async Task<ServerExpansion> ExpandAsync(string concept, CancellationToken cancellationToken)
    {
        var baseUrl = $"{server.AbsoluteUri.TrimEnd('/')}/ValueSet/$expand?url={Uri.EscapeDataString($"http://snomed.info/sct?fhir_vs=ecl/<<{concept}")}";
        var codes = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string version = "";
        string display = "";
        for (int page = 0, offset = 0; page < MaxPages; page++)
        {
            var url = string.Create(CultureInfo.InvariantCulture, $"{baseUrl}&count={pageSize}&offset={offset}");
            using var document = await GetAsync(url, concept, cancellationToken).ConfigureAwait(false);
            var expansion = ReadExpansion(document.RootElement, concept);
            if (version.Length == 0)
            {
                version = VersionOf(expansion);
            }

            int returned = 0;
            int added = 0;
            if (expansion.TryGetProperty("contains", out var contains) && contains.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in Flatten(contains))
                {
                    returned++;
                    if (version.Length == 0 && item.TryGetProperty("version", out var itemVersion) && itemVersion.ValueKind == JsonValueKind.String)
                    {
                        version = itemVersion.GetString()!;
                    }

                    if (String(item, "system") is not "http://snomed.info/sct" || String(item, "code") is not { } code
                        || (item.TryGetProperty("inactive", out var inactive) && inactive.ValueKind == JsonValueKind.True))
                    {
                        continue;
                    }

                    if (seen.Add(code))
                    {
                        added++;
                        if (code != concept)
                        {
                            codes.Add((code, String(item, "display") ?? ""));
                        }
                        else
                        {
                            display = String(item, "display") ?? "";
                        }
                    }
                }
            }

            int? total = expansion.TryGetProperty("total", out var totalElement) && totalElement.TryGetInt32(out int t) ? t : null;
            offset += returned;
            if (returned == 0 || (total is { } all && offset >= all) || (total is null && returned < pageSize))
            {
                return new ServerExpansion(concept, display, baseUrl, version, codes);
            }

            if (added == 0)
            {
                throw new TerminologyServerException($"{concept}: the server sent the same codes again for offset {offset - returned}: it does not page with count and offset");
            }
        }

        throw new TerminologyServerException($"{concept}: the expansion did not end after {MaxPages} pages");
    }

    private async Task<JsonDocument> GetAsync(string url, string concept, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json", 0.9));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TerminologyServerException($"{concept}: the server did not answer within {http.Timeout.TotalSeconds:0.#} s ({url})", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new TerminologyServerException($"{concept}: cannot reach the server: {ex.Message} ({url})", ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new TerminologyServerException(
                    $"{concept}: the server answered {(int)response.StatusCode} {response.ReasonPhrase}{OutcomeText(body)} ({url})");
            }

            try
            {
                return JsonDocument.Parse(body);
            }
            catch (JsonException ex)
            {
                throw new TerminologyServerException($"{concept}: the server's answer is not JSON: {ex.Message} ({url})", ex);
            }
        }
    }

    private static JsonElement ReadExpansion(JsonElement root, string concept)
    {
        if (root.ValueKind != JsonValueKind.Object || String(root, "resourceType") != "ValueSet")
        {
            var kind = root.ValueKind == JsonValueKind.Object ? String(root, "resourceType") ?? "an object without resourceType" : root.ValueKind.ToString();
            throw new TerminologyServerException($"{concept}: the server answered {kind}, not a ValueSet{(kind == "OperationOutcome" ? Issues(root) : "")}");
        }

        if (!root.TryGetProperty("expansion", out var expansion) || expansion.ValueKind != JsonValueKind.Object)
        {
            throw new TerminologyServerException($"{concept}: the server's ValueSet has no expansion");
        }

        return expansion;
    }

    /// <summary>
    /// The SNOMED CT version from the expansion's parameters (<c>version</c>, <c>system-version</c> or
    /// <c>used-codesystem</c>, with or without the <c>system|</c> prefix); empty when none names SNOMED CT.
    /// </summary>
    private static string VersionOf(JsonElement expansion)
    {
        if (!expansion.TryGetProperty("parameter", out var parameters) || parameters.ValueKind != JsonValueKind.Array)
        {
            return "";
        }

        foreach (var parameter in parameters.EnumerateArray())
        {
            if (String(parameter, "name") is "version" or "system-version" or "used-codesystem"
                && (String(parameter, "valueUri") ?? String(parameter, "valueString") ?? String(parameter, "valueCanonical")) is { } value
                && value.Contains("snomed.info/sct", StringComparison.Ordinal))
            {
                var parts = value.Split('|');
                return parts.Length == 2 ? parts[1] : value;
            }
        }

        return "";
    }

    private static IEnumerable<JsonElement> Flatten(JsonElement contains)
    {
        foreach (var item in contains.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            yield return item;
            if (item.TryGetProperty("contains", out var nested) && nested.ValueKind == JsonValueKind.Array)
            {
                foreach (var child in Flatten(nested))
                {
                    yield return child;
                }
            }
        }
    }

    private static string OutcomeText(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return String(document.RootElement, "resourceType") == "OperationOutcome" ? Issues(document.RootElement) : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static string Issues(JsonElement outcome)
    {
        if (!outcome.TryGetProperty("issue", out var issues) || issues.ValueKind != JsonValueKind.Array)
        {
            return "";
        }

        var texts = issues.EnumerateArray()
            .Select(i => String(i, "diagnostics") ?? (i.TryGetProperty("details", out var d) ? String(d, "text") : null))
            .Where(t => !string.IsNullOrWhiteSpace(t))
            .ToList();
        return texts.Count == 0 ? "" : $": {string.Join("; ", texts)}";
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
