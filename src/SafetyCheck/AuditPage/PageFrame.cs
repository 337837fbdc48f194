using Microsoft.AspNetCore.Antiforgery;

namespace SafetyCheck.AuditPage;

/// <summary>What every page shows around its content: who is signed in, the form token, and which section is open.</summary>
/// <param name="User">The signed-in auditor's name; null on the sign-in page.</param>
/// <param name="Token">The anti-forgery token for the page's forms (sign-out included).</param>
/// <param name="Section">The navigation entry to mark as current: <c>decisions</c>, <c>trail</c>, <c>revisions</c>, <c>pictures</c>.</param>
public sealed record PageFrame(string? User, AntiforgeryTokenSet Token, string Section);
