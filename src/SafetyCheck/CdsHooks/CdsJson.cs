using System.Text.Json;
using System.Text.Json.Nodes;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.CdsHooks;

/// <summary>Writes the service's JSON responses: cards, discovery, and errors (<c>{"error": …, "violations": [{field, description}]}</c>).</summary>
internal static class CdsJson
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static Task WriteAsync(HttpResponse response, int status, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(body);
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        return response.WriteAsync(body.ToJsonString(Options));
    }

    /// <summary>A response with <paramref name="cards"/> (the <c>cards</c> member is always present, possibly empty).</summary>
    public static Task WriteCardsAsync(HttpResponse response, int status, IEnumerable<JsonObject> cards) =>
        WriteAsync(response, status, new JsonObject { ["cards"] = new JsonArray([.. cards]) });

    /// <summary>HTTP 429 for a call refused by a limit: <c>Retry-After</c> in seconds and <c>{"error": …, "reason": …}</c>, as the token checks' refusals.</summary>
    public static Task WriteRefusalAsync(HttpResponse response, CdsRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(refusal);
        response.Headers.RetryAfter = refusal.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WriteAsync(response, StatusCodes.Status429TooManyRequests, new JsonObject { ["error"] = refusal.Error, ["reason"] = refusal.Reason });
    }

    public static Task WriteErrorAsync(HttpResponse response, int status, string error, IEnumerable<FieldViolation>? violations = null)
    {
        var body = new JsonObject { ["error"] = error };
        if (violations is not null)
        {
            body["violations"] = new JsonArray([.. violations.Select(v => (JsonNode)new JsonObject { ["field"] = v.Field, ["description"] = v.Description })]);
        }

        return WriteAsync(response, status, body);
    }
}
