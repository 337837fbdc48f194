namespace SafetyCheck.Audit;

/// <summary>Checks the store settings of <c>SafetyCheck:Audit</c> when the host starts, naming the setting that is wrong.</summary>
internal sealed class AuditStoreSettingsValidation : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options) =>
        AuditStoreSettings.Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
