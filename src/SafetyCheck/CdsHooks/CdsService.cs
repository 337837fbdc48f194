namespace SafetyCheck.CdsHooks;

/// <summary>One CDS service as discovery lists it.</summary>
/// <param name="Id">The <c>{id}</c> of <c>{baseUrl}/cds-services/{id}</c>.</param>
/// <param name="Hook">The hook it answers.</param>
/// <param name="Title">Its human-friendly name.</param>
/// <param name="Description">What it does.</param>
/// <param name="UsageRequirements">What the EHR must provide.</param>
internal sealed record CdsService(string Id, string Hook, string Title, string Description, string UsageRequirements);
