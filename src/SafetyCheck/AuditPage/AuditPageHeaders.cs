namespace SafetyCheck.AuditPage;

/// <summary>
/// The security headers of every page response: a Content Security Policy that allows only the page's own script,
/// style sheet and images (no inline script or style, no other origin, no framing, forms only to the page), no MIME
/// sniffing, no referrer, no caching of pages that show audit records, and HSTS over TLS.
/// </summary>
internal static class AuditPageHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void Apply(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        // As the anti-forgery system sets it on pages with forms (it warns when it has to change another value).
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
        if (response.HttpContext.Request.IsHttps)
        {
            headers.StrictTransportSecurity = "max-age=31536000";
        }
    }
}
