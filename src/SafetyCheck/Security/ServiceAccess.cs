namespace SafetyCheck.Security;

/// <summary>
/// Who may call which gRPC service, by the service's full name, so that a new service is covered without touching
/// its code. A service not listed here is refused to everyone (fail closed) until it is given a rule.
/// </summary>
internal static class ServiceAccess
{
    private static readonly Dictionary<string, string[]> Roles = new(StringComparer.Ordinal)
    {
        ["safetycheck.v1.SafetyCheck"] = [SafetyCheckRoles.ClinicalApp],
        ["safetycheck.v1.Audit"] = [SafetyCheckRoles.Auditor],
        ["safetycheck.v1.RuleAdmin"] = [SafetyCheckRoles.RulesAdmin],
    };

    /// <summary>Services anyone may call without credentials: health (load balancers, orchestrators) and reflection.</summary>
    public static bool IsOpen(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service == "grpc.health.v1.Health" || service.StartsWith("grpc.reflection.", StringComparison.Ordinal);
    }

    /// <summary>The roles of which a caller needs one to call <paramref name="service"/>; empty: nobody may.</summary>
    public static IReadOnlyList<string> RolesFor(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return Roles.TryGetValue(service, out var roles) ? roles : [];
    }
}
