using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SafetyCheck.AuditPage;

/// <summary>What the page's endpoints share: rendering a page, its frame, reading a form safely, the page's own links.</summary>
internal static class AuditPageResults
{
    /// <summary>Largest form body the page reads, in bytes: its forms hold a token and a key at most.</summary>
    public const long MaxFormBytes = 16 * 1024;

    /// <summary>Renders <typeparamref name="TPage"/> with <paramref name="model"/> as its <c>Model</c>.</summary>
    public static RazorComponentResult<TPage> Page<TPage>(object model, int statusCode = StatusCodes.Status200OK)
        where TPage : IComponent =>
        new(new Dictionary<string, object?>(StringComparer.Ordinal) { ["Model"] = model }) { StatusCode = statusCode, ContentType = "text/html; charset=utf-8" };

    /// <summary>The frame of a page in <paramref name="section"/>, with a fresh form token for the current user.</summary>
    public static PageFrame Frame(HttpContext context, string section)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return new PageFrame(AuditorPrincipal.NameOf(context.User), token, section);
    }

    /// <summary>
    /// The posted form, once its anti-forgery token is valid and its body is no larger than <see cref="MaxFormBytes"/>;
    /// null otherwise (logged), and the caller answers <see cref="FormRefused"/>.
    /// </summary>
    public static async Task<IFormCollection?> ReadFormAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxFormBytes;
        }

        try
        {
            if (!context.Request.HasFormContentType)
            {
                throw new AntiforgeryValidationException("not a form");
            }

            await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context).ConfigureAwait(false);
            return await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AntiforgeryValidationException or BadHttpRequestException or InvalidDataException)
        {
            AuditPageLog.FormRefused(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditPageLog).FullName!), context.Request.Path.Value ?? "");
            return null;
        }
    }

    /// <summary>The answer to a form without a valid token: 400 with a page that says what to do.</summary>
    public static IResult FormRefused(HttpContext context) => Message(
        context, "", "The form was refused", StatusCodes.Status400BadRequest,
        "The form had no valid anti-forgery token: it expired (the service restarted or you signed in again) or did not come from this page. Go back, reload the page and try again.");

    /// <summary>A page that only says something: not found, store unavailable, form refused.</summary>
    public static IResult Message(HttpContext context, string section, string title, int statusCode, string text) =>
        Page<Pages.MessagePage>(new MessagePageModel(Frame(context, section), title, text), statusCode);

    /// <summary>A local page path to return to after sign-in: a path under <c>/audit/</c>, never another site.</summary>
    public static string SafeReturnUrl(string? candidate) =>
        candidate is { Length: > 0 and < 2048 } url && url.StartsWith(AuditPageSchemes.Root + "/", StringComparison.Ordinal)
            && !url.Contains('\\', StringComparison.Ordinal) && !url.Contains("//", StringComparison.Ordinal) && Uri.IsWellFormedUriString(url, UriKind.Relative)
            ? url
            : AuditPageSchemes.Root + "/decisions";
}
