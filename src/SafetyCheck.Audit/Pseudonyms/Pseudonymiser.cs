using System.Security.Cryptography;
using System.Text;

namespace SafetyCheck.Audit.Pseudonyms;

/// <summary>
/// Turns a caller's patient_ref into a keyed pseudonym: lowercase hex HMAC-SHA256(key, UTF-8 of patient_ref). Without
/// the key a pseudonym cannot be reversed by trying likely identifiers (ENISA 2019, §3.3); with it, an authorised
/// look-up can find every decision about one patient. The key never appears in <see cref="ToString"/>. Thread-safe:
/// each thread keeps a keyed HMAC for the last pseudonymiser it used, so a decision does not set the key up again (half
/// the cost of a one-shot HMAC; a process has one pseudonymiser in use). <see cref="Digest"/> keys other text that
/// could name a child (a clinician's comment) under a subkey of the same key, one per purpose, so that such a digest is
/// never a patient's pseudonym and cannot be confirmed by guessing without the key.
/// </summary>
public sealed class Pseudonymiser
{
    /// <summary>Shortest accepted key, in bytes (128 bits).</summary>
    public const int MinimumKeyBytes = 16;

    /// <summary>The purpose of the digest of a clinician's comment on a card (<see cref="Digest"/>).</summary>
    public const string UserCommentPurpose = "safetycheck/user-comment";

    /// <summary>Longest patient_ref, in UTF-8 bytes, encoded on the stack; longer ones go through a rented buffer.</summary>
    private const int StackBytes = 256;

    [ThreadStatic]
    private static KeyedHmac? t_hmac;

    private readonly byte[] _key;

    /// <summary>A pseudonymiser with <paramref name="key"/> (at least 16 bytes) known as <paramref name="keyId"/>.</summary>
    /// <exception cref="ArgumentException">The key is shorter than 16 bytes or the key id is empty.</exception>
    public Pseudonymiser(ReadOnlySpan<byte> key, string keyId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"A pseudonym key has at least {MinimumKeyBytes} bytes.", nameof(key));
        }

        _key = key.ToArray();
        KeyId = keyId;
    }

    /// <summary>Stored beside every pseudonym so that look-ups keep working after the key is rotated.</summary>
    public string KeyId { get; }

    /// <summary>A pseudonymiser from a base64 key; the key id defaults to <see cref="DeriveKeyId"/>.</summary>
    /// <exception cref="FormatException">The text is not base64.</exception>
    /// <exception cref="ArgumentException">The key is shorter than 16 bytes.</exception>
    public static Pseudonymiser FromBase64(string base64Key, string? keyId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(base64Key);
        var key = Convert.FromBase64String(base64Key.Trim());
        return new Pseudonymiser(key, string.IsNullOrWhiteSpace(keyId) ? DeriveKeyId(key) : keyId);
    }

    /// <summary>A key id that names a key without revealing it: <c>k-</c> and the first 8 hex digits of SHA-256(key).</summary>
    public static string DeriveKeyId(ReadOnlySpan<byte> key) => "k-" + Convert.ToHexStringLower(SHA256.HashData(key))[..8];

    /// <summary>The pseudonym of <paramref name="patientRef"/>; empty when it is empty (no patient id was sent).</summary>
    public string Pseudonymise(string patientRef)
    {
        ArgumentNullException.ThrowIfNull(patientRef);
        if (patientRef.Length == 0)
        {
            return "";
        }

        var length = Encoding.UTF8.GetByteCount(patientRef);
        var rented = length > StackBytes ? System.Buffers.ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            Span<byte> utf8 = rented is null ? stackalloc byte[StackBytes] : rented;
            utf8 = utf8[..Encoding.UTF8.GetBytes(patientRef, utf8)];
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            var hmac = HmacOfThisThread();
            hmac.AppendData(utf8);
            hmac.GetHashAndReset(mac);
            return Convert.ToHexStringLower(mac);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// A keyed digest of <paramref name="text"/> for <paramref name="purpose"/> (e.g. <see cref="UserCommentPurpose"/>):
    /// lowercase hex HMAC-SHA256(subkey, UTF-8 of the text), where subkey = HMAC-SHA256(key, 0x00 ‖ UTF-8 of the purpose),
    /// with this key's id. The same text gives the same digest under one key and purpose, another under another key or
    /// purpose. The 0x00 before the purpose keeps subkeys apart from pseudonyms: no patient_ref holds a control
    /// character, so no pseudonym is a subkey.
    /// </summary>
    /// <exception cref="ArgumentException">The purpose is empty.</exception>
    public KeyedDigest Digest(string purpose, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        ArgumentNullException.ThrowIfNull(text);
        var label = new byte[1 + Encoding.UTF8.GetByteCount(purpose)];
        Encoding.UTF8.GetBytes(purpose, label.AsSpan(1));
        Span<byte> subkey = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, label, subkey);
        try
        {
            return new KeyedDigest(Convert.ToHexStringLower(HMACSHA256.HashData(subkey, Encoding.UTF8.GetBytes(text))), KeyId);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(subkey);
        }
    }

    /// <summary>This thread's HMAC keyed with this pseudonymiser's key (made when the thread last used another, or none).</summary>
    private IncrementalHash HmacOfThisThread()
    {
        if (t_hmac is { } kept && ReferenceEquals(kept.Owner, this))
        {
            return kept.Hmac;
        }

        t_hmac?.Hmac.Dispose();
        t_hmac = new KeyedHmac(this, IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key));
        return t_hmac.Hmac;
    }

    private sealed record KeyedHmac(Pseudonymiser Owner, IncrementalHash Hmac);

    /// <summary>Names the key id only.</summary>
    public override string ToString() => $"Pseudonymiser({KeyId})";
}
