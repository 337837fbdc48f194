using System.Security.Cryptography;

namespace SafetyCheck.AuditPage;

/// <summary>
/// The page's own files, built into the executable: one style sheet, one small script (the verification progress)
/// and an icon. Nothing is fetched from anywhere else. Served with an ETag and a short cache lifetime.
/// </summary>
internal static class AssetEndpoints
{
    private static readonly Dictionary<string, (string ContentType, byte[] Content, string ETag)> Assets = new[]
    {
        ("audit.css", "text/css; charset=utf-8"),
        ("audit.js", "text/javascript; charset=utf-8"),
        ("icon.svg", "image/svg+xml"),
    }.ToDictionary(a => a.Item1, a => (a.Item2, Read(a.Item1), ""), StringComparer.Ordinal)
     .ToDictionary(kv => kv.Key, kv => (kv.Value.Item1, kv.Value.Item2, $"\"{Convert.ToHexStringLower(SHA256.HashData(kv.Value.Item2))[..16]}\""), StringComparer.Ordinal);

    public static IResult Get(HttpContext context, string name)
    {
        if (!Assets.TryGetValue(name, out var asset))
        {
            return Results.NotFound();
        }

        context.Response.Headers.CacheControl = "public, max-age=300";
        context.Response.Headers.ETag = asset.ETag;
        return context.Request.Headers.IfNoneMatch == asset.ETag
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(asset.Content, asset.ContentType);
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(AssetEndpoints).Assembly.GetManifestResourceStream("SafetyCheck.AuditPage.Assets." + name)
            ?? throw new InvalidOperationException($"The page's asset {name} is not built into the executable.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
