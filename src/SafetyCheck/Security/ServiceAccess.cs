namespace SafetyCheck.Security;

/// <summary>
/// Who may call which gRPC service, by the service's full name, so that a new service is covered without touching
/// its code. A service not listed here is refused to everyone (fail closed) until it is given a rule. A method may be
/// opened to more roles than its service (a read every role needs); an unknown method is judged as its service.
/// </summary>
internal static class ServiceAccess
{
    private static readonly Dictionary<string, string[]> Roles = new(StringComparer.Ordinal)
    {
        ["safetycheck.v1.SafetyCheck"] = [SafetyCheckRoles.ClinicalApp],
        ["safetycheck.v1.Audit"] = [SafetyCheckRoles.Auditor],
        ["safetycheck.v1.RuleAdmin"] = [SafetyCheckRoles.RulesAdmin],
    };

    /// <summary>
    /// Methods open to more roles than their service, by service and method name (looked up on every call, without
    /// building a string). <c>GetRuleset</c> says which revision serves: a deployment pipeline (rules-admin) checks it
    /// after a reload, an auditor compares it with the trail, and neither may make decisions for it.
    /// </summary>
    private static readonly Dictionary<(string Service, string Method), string[]> MethodRoles = new()
    {
        [("safetycheck.v1.SafetyCheck", "GetRuleset")] = [SafetyCheckRoles.ClinicalApp, SafetyCheckRoles.RulesAdmin, SafetyCheckRoles.Auditor],
    };

    /// <summary>Services anyone may call without credentials: health (load balancers, orchestrators) and reflection.</summary>
    public static bool IsOpen(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service == "grpc.health.v1.Health" || service.StartsWith("grpc.reflection.", StringComparison.Ordinal);
    }

    /// <summary>
    /// The roles of which a caller needs one to call <paramref name="method"/> of <paramref name="service"/> (the
    /// service's own roles when the method has none of its own, or is not known); empty: nobody may.
    /// </summary>
    public static IReadOnlyList<string> RolesFor(string service, string? method = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (method is not null && MethodRoles.TryGetValue((service, method), out var methodRoles))
        {
            return methodRoles;
        }

        return Roles.TryGetValue(service, out var roles) ? roles : [];
    }
}
