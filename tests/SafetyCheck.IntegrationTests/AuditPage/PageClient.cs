using System.Net;
using System.Text.RegularExpressions;

namespace SafetyCheck.IntegrationTests.AuditPage;

/// <summary>
/// A browser-like HTTP client for the auditor's page: keeps cookies (by path; a cookie set to expire in 1970 or with
/// an empty value is removed, other expiry dates are left to the server, whose clock in tests is a fake one; Secure
/// cookies are kept only from https), never follows redirects (tests assert them), and posts forms with the
/// anti-forgery token of the last page it read.
/// </summary>
public sealed partial class PageClient : IDisposable
{
    private readonly HttpClient _http;

    public PageClient(HttpMessageHandler handler, Uri baseAddress)
    {
        _http = new HttpClient(new CookieHandler(Cookies, handler)) { BaseAddress = baseAddress };
    }

    /// <summary>The cookies kept: name → (path, value).</summary>
    public Dictionary<string, (string Path, string Value)> Cookies { get; } = new(StringComparer.Ordinal);

    /// <summary>The anti-forgery token of the last page read; null before any.</summary>
    public string? Token { get; private set; }

    public Uri BaseAddress => _http.BaseAddress!;

    public async Task<(HttpResponseMessage Response, string Html)> GetAsync(string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        var response = await _http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        Token = TokenIn(html) ?? Token;
        return (response, html);
    }

    /// <summary>Posts <paramref name="fields"/>, with the last page's token unless <paramref name="withToken"/> is false.</summary>
    public async Task<(HttpResponseMessage Response, string Html)> PostAsync(string path, IReadOnlyDictionary<string, string>? fields = null, bool withToken = true)
    {
        var form = new Dictionary<string, string>(fields ?? new Dictionary<string, string>());
        if (withToken && Token is not null)
        {
            form["__RequestVerificationToken"] = Token;
        }

        using var content = new FormUrlEncodedContent(form);
        var response = await _http.PostAsync(path, content);
        var html = await response.Content.ReadAsStringAsync();
        Token = TokenIn(html) ?? Token;
        return (response, html);
    }

    /// <summary>Signs in with <paramref name="key"/> through the sign-in form; returns the answer to the post.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string key)
    {
        await GetAsync("/audit/signin");
        var (response, _) = await PostAsync("/audit/signin", new Dictionary<string, string> { ["key"] = key, ["returnUrl"] = "/audit/decisions" });
        return response;
    }

    /// <summary>The Set-Cookie header of <paramref name="name"/> in <paramref name="response"/>, or null.</summary>
    public static string? SetCookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.FirstOrDefault(v => v.StartsWith(name + "=", StringComparison.Ordinal)) : null;

    public void Dispose() => _http.Dispose();

    private static string? TokenIn(string html) => TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private sealed class CookieHandler(Dictionary<string, (string Path, string Value)> cookies, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var header = string.Join("; ", cookies.Where(c => path.StartsWith(c.Value.Path, StringComparison.Ordinal)).Select(c => $"{c.Key}={c.Value.Value}"));
            if (header.Length > 0)
            {
                request.Headers.Add("Cookie", header);
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var setCookie in setCookies)
                {
                    var parts = setCookie.Split(';', StringSplitOptions.TrimEntries);
                    var (name, value) = (parts[0][..parts[0].IndexOf('=', StringComparison.Ordinal)], parts[0][(parts[0].IndexOf('=', StringComparison.Ordinal) + 1)..]);
                    var attributes = parts.Skip(1).Select(p => p.ToLowerInvariant()).ToArray();
                    var cookiePath = attributes.FirstOrDefault(a => a.StartsWith("path=", StringComparison.Ordinal))?[5..] ?? "/";
                    if (value.Length == 0 || attributes.Any(a => a.Contains("1970", StringComparison.Ordinal))
                        || (attributes.Contains("secure") && request.RequestUri.Scheme != Uri.UriSchemeHttps))
                    {
                        cookies.Remove(name);
                    }
                    else
                    {
                        cookies[name] = (cookiePath, value);
                    }
                }
            }

            return response;
        }
    }
}
