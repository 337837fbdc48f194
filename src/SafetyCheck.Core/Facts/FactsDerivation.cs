using SafetyCheck.Core.Profiles;

namespace SafetyCheck.Core.Facts;

/// <summary>The facts of one request, and the input codes the catalog did not recognise (in request order).</summary>
public sealed record FactsDerivation(ChildFacts Facts, IReadOnlyList<ProfileCondition> Unrecognized);
