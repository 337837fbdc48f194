using System.Text.Json;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// Reads the JSON body of a service call (CDS Hooks 2.0, "Calling a CDS Service") and the context of its hook, and
/// reports every problem at once, each naming its field (<c>hookInstance</c>, <c>context.patientId</c>,
/// <c>fhirAuthorization.access_token</c>). Members the specification adds later are ignored.
/// </summary>
internal static class CdsHookCallReader
{
    /// <summary>The call, or null with every problem in <paramref name="violations"/>.</summary>
    public static CdsHookCall? Read(JsonElement body, CdsService service, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(violations);
        if (body.ValueKind != JsonValueKind.Object)
        {
            violations.Add(new("$", "must be a JSON object (a CDS Hooks service call)"));
            return null;
        }

        var hook = RequiredString(body, "hook", "hook", violations);
        if (hook is not null && hook != service.Hook)
        {
            violations.Add(new("hook", $"is '{hook}', but service {service.Id} answers '{service.Hook}'"));
        }

        var hookInstance = RequiredString(body, "hookInstance", "hookInstance", violations);
        Uri? fhirServer = null;
        if (OptionalString(body, "fhirServer", "fhirServer", violations) is { } server)
        {
            if (Uri.TryCreate(server, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && string.IsNullOrEmpty(uri.Query))
            {
                fhirServer = uri;
            }
            else
            {
                violations.Add(new("fhirServer", "must be the absolute http(s) base URL of the FHIR server, without a query"));
            }
        }

        string? accessToken = null;
        if (body.TryGetProperty("fhirAuthorization", out var authorization) && authorization.ValueKind != JsonValueKind.Null)
        {
            if (authorization.ValueKind != JsonValueKind.Object)
            {
                violations.Add(new("fhirAuthorization", "must be an object"));
            }
            else
            {
                accessToken = RequiredString(authorization, "access_token", "fhirAuthorization.access_token", violations);
                var tokenType = RequiredString(authorization, "token_type", "fhirAuthorization.token_type", violations);
                if (tokenType is not null && !string.Equals(tokenType, "Bearer", StringComparison.OrdinalIgnoreCase))
                {
                    violations.Add(new("fhirAuthorization.token_type", "must be 'Bearer'"));
                }

                if (!body.TryGetProperty("fhirServer", out _))
                {
                    violations.Add(new("fhirServer", "is required with fhirAuthorization"));
                }
            }
        }

        JsonElement? prefetch = null;
        if (body.TryGetProperty("prefetch", out var prefetchValue) && prefetchValue.ValueKind != JsonValueKind.Null)
        {
            if (prefetchValue.ValueKind == JsonValueKind.Object)
            {
                prefetch = prefetchValue.Clone();
            }
            else
            {
                violations.Add(new("prefetch", "must be an object of prefetch keys"));
            }
        }

        if (!body.TryGetProperty("context", out var context) || context.ValueKind != JsonValueKind.Object)
        {
            violations.Add(new("context", "is required: an object with the hook's context"));
            return null;
        }

        RequiredString(context, "userId", "context.userId", violations);
        var patientId = RequiredString(context, "patientId", "context.patientId", violations);
        var drafts = Drafts(context, service.Hook == CdsServices.AppointmentBook ? "appointments" : "draftOrders", violations);
        var selections = service.Hook == CdsServices.OrderSelect ? Selections(context, violations) : [];
        if (violations.Count > 0 || hook is null || hookInstance is null || patientId is null || drafts is null)
        {
            return null;
        }

        return new CdsHookCall
        {
            Hook = hook,
            HookInstance = hookInstance,
            FhirServer = fhirServer,
            AccessToken = accessToken,
            PatientId = patientId,
            Drafts = drafts.Value,
            Selections = selections,
            Prefetch = prefetch,
        };
    }

    private static JsonElement? Drafts(JsonElement context, string name, List<FieldViolation> violations)
    {
        if (context.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            return value.Clone();
        }

        violations.Add(new("context." + name, "is required: a FHIR Bundle (or an array) of the draft resources"));
        return null;
    }

    private static string[] Selections(JsonElement context, List<FieldViolation> violations)
    {
        if (!context.TryGetProperty("selections", out var value) || value.ValueKind != JsonValueKind.Array)
        {
            violations.Add(new("context.selections", "is required: an array of the selected orders' ids (Type/id)"));
            return [];
        }

        var selections = new List<string>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } id && id.Contains('/', StringComparison.Ordinal))
            {
                selections.Add(id);
            }
            else
            {
                violations.Add(new($"context.selections[{i}]", "must be a relative reference Type/id, e.g. ServiceRequest/123"));
            }

            i++;
        }

        return [.. selections];
    }

    private static string? RequiredString(JsonElement parent, string member, string field, List<FieldViolation> violations)
    {
        if (parent.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
        {
            return text;
        }

        violations.Add(new(field, "is required: a non-empty string"));
        return null;
    }

    private static string? OptionalString(JsonElement parent, string member, string field, List<FieldViolation> violations)
    {
        if (!parent.TryGetProperty(member, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
        {
            return text;
        }

        violations.Add(new(field, "must be a non-empty string"));
        return null;
    }
}
