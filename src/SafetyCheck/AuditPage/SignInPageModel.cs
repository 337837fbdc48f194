namespace SafetyCheck.AuditPage;

/// <summary>The sign-in page.</summary>
/// <param name="Frame">No user; the form token.</param>
/// <param name="Message">What happened (a refusal, signed out); null for none.</param>
/// <param name="IsRefusal">True when <paramref name="Message"/> reports a refusal (shown as an alert).</param>
/// <param name="ReturnUrl">The page to go to after sign-in (a path under <c>/audit/</c>).</param>
/// <param name="OpenIdConnect">True when the identity provider can be used.</param>
public sealed record SignInPageModel(PageFrame Frame, string? Message, bool IsRefusal, string ReturnUrl, bool OpenIdConnect);
