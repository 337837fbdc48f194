namespace SafetyCheck.Audit.Pseudonyms;

/// <summary>A keyed digest of text (<see cref="Pseudonymiser.Digest"/>) and the id of the key it was made under.</summary>
/// <param name="Hmac">Lowercase hex HMAC-SHA256, 64 digits.</param>
/// <param name="KeyId">The pseudonym key's id (<see cref="Pseudonymiser.KeyId"/>).</param>
public sealed record KeyedDigest(string Hmac, string KeyId);
