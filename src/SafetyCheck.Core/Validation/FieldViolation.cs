namespace SafetyCheck.Core.Validation;

/// <summary>One problem with a request field.</summary>
/// <param name="Field">Path with protobuf field names, e.g. <c>conditions[2].onset_date</c>.</param>
/// <param name="Description">What is wrong, in words a caller can act on.</param>
public sealed record FieldViolation(string Field, string Description);
