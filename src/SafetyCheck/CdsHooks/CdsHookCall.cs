using System.Text.Json;

namespace SafetyCheck.CdsHooks;

/// <summary>A CDS Hooks service call, read and checked for shape (its FHIR content is read later, by the Firely SDK).</summary>
internal sealed record CdsHookCall
{
    /// <summary>The hook that fired (the service's own).</summary>
    public required string Hook { get; init; }

    /// <summary>The client's UUID of this invocation.</summary>
    public required string HookInstance { get; init; }

    /// <summary>The client's FHIR server base URL; null when none was sent.</summary>
    public Uri? FhirServer { get; init; }

    /// <summary>The bearer token for <see cref="FhirServer"/> (<c>fhirAuthorization.access_token</c>); null when none was sent.</summary>
    public string? AccessToken { get; init; }

    /// <summary><c>context.patientId</c>.</summary>
    public required string PatientId { get; init; }

    /// <summary>
    /// The hook's draft resources: <c>context.appointments</c> for appointment-book, <c>context.draftOrders</c> for
    /// order-select (a Bundle, or an array of resources).
    /// </summary>
    public required JsonElement Drafts { get; init; }

    /// <summary><c>context.selections</c> (order-select): the ids of the newly selected orders, <c>Type/id</c>.</summary>
    public IReadOnlyList<string> Selections { get; init; } = [];

    /// <summary>The prefetch object; null when none was sent.</summary>
    public JsonElement? Prefetch { get; init; }
}
