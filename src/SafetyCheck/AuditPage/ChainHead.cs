using SafetyCheck.Audit.Storage;

namespace SafetyCheck.AuditPage;

/// <summary>A chain of the store and its committed head (id empty in a store of one chain).</summary>
public sealed record ChainHead(string Chain, AuditHead Head);
