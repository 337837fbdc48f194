using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// GETs from an EHR's servers (its FHIR server, its JWKS URL) with the bounds of <see cref="CdsHooksOptions"/>: https
/// only (unless <see cref="CdsHooksOptions.AllowInsecureHttp"/>), a timeout per request, a cap on the response size,
/// and no redirects (a redirect could lead past those checks). Every failure is a value, never an exception.
/// </summary>
internal sealed class FhirHttp(IHttpClientFactory clients, IOptions<CdsHooksOptions> options)
{
    /// <summary>The name of the HTTP client (no redirects, response size capped).</summary>
    public const string ClientName = "SafetyCheck.CdsHooks";

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Null when <paramref name="url"/> may be fetched; otherwise why not.</summary>
    public string? Refusal(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            return "is not an absolute URL";
        }

        if (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && options.Value.AllowInsecureHttp))
        {
            return null;
        }

        return url.Scheme == Uri.UriSchemeHttp ? "is http: the service fetches over https only" : "is not an http(s) URL";
    }

    /// <summary>GETs <paramref name="url"/>, with <paramref name="accessToken"/> as a bearer token when given.</summary>
    public async Task<HttpFetch> GetJsonAsync(Uri url, string? accessToken, string accept, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (Refusal(url) is { } refusal)
        {
            return new HttpFetch(null, $"{url.GetLeftPart(UriPartial.Authority)} {refusal}", 0);
        }

        var where = url.GetLeftPart(UriPartial.Authority);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.FhirTimeoutSeconds));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        if (!string.IsNullOrEmpty(accessToken))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        try
        {
            using var client = clients.CreateClient(ClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new HttpFetch(null, $"{where} answered HTTP {status}", status);
            }

            // JSON (RFC 8259) and FHIR JSON are UTF-8 whatever charset is declared: bytes that are not are a failure,
            // never text replaced with U+FFFD or read as another encoding.
            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                var text = bytes.AsSpan();
                return new HttpFetch(StrictUtf8.GetString(text.StartsWith(Utf8Bom) ? text[Utf8Bom.Length..] : text), null, status);
            }
            catch (DecoderFallbackException ex)
            {
                return new HttpFetch(null, $"{where} answered with something that is not UTF-8 text (at byte {ex.Index})", status);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HttpFetch(null, $"{where} did not answer within {options.Value.FhirTimeoutSeconds} s", 0);
        }
        catch (HttpRequestException ex)
        {
            // Includes a response larger than MaxFhirResponseBytes.
            return new HttpFetch(null, $"{where} could not be read: {ex.Message}", 0);
        }
    }
}
