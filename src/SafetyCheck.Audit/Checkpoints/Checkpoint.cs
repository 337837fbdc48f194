using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.Storage;

namespace SafetyCheck.Audit.Checkpoints;

/// <summary>
/// A signed statement of the chain's size and head hash at a time — and, from version 2, of the rule revisions archived
/// then — for an auditor to keep outside the service. Against a kept checkpoint, verification detects a truncated tail
/// (fewer records than the checkpoint), a rewritten chain (another hash at the checkpoint's size) and an archive that
/// lost or changed a signed revision, which a hash chain alone cannot.
/// <para>Text form (UTF-8, <c>\n</c> line ends); the signature is ECDSA P-256 with SHA-256, DER-encoded, over the body
/// (every line up to and including the <c>time:</c> line and its newline), so <c>openssl dgst -sha256 -verify</c> can
/// check it too. Version 2, written since the archive is verified:</para>
/// <code>
/// SafetyCheck audit checkpoint v2
/// origin: &lt;origin&gt;
/// size: &lt;records&gt;
/// head: &lt;lowercase hex entry hash&gt;
/// revisions: &lt;n&gt;
/// revision: &lt;rule revision&gt;        (n lines, ordinal order)
/// time: &lt;RFC 3339 UTC&gt;
///
/// signature: ecdsa-p256-sha256 &lt;key id&gt; &lt;base64 signature&gt;
/// </code>
/// <para>Version 1 has no <c>revisions:</c> and <c>revision:</c> lines; it still verifies (the chain only). A text is
/// read only in exactly the form written (canonical numbers and times, nothing after the signature line but a newline),
/// so the body that is checked is the body that was signed.</para>
/// </summary>
/// <param name="Origin">Names the log (one line), e.g. the host and database.</param>
/// <param name="Size">Records in the chain when signed.</param>
/// <param name="HeadHash">Entry hash of record <paramref name="Size"/> (<see cref="AuditHead.GenesisHash"/> when 0).</param>
/// <param name="Time">When it was signed (UTC).</param>
/// <param name="KeyId">First 16 hex digits of SHA-256 of the signing key's SubjectPublicKeyInfo.</param>
/// <param name="SignatureBase64">Base64 DER ECDSA signature over <see cref="Body"/>.</param>
public sealed record Checkpoint(string Origin, long Size, string HeadHash, DateTimeOffset Time, string KeyId, string SignatureBase64)
{
    /// <summary>How the first line of every checkpoint begins, whatever its version.</summary>
    public const string HeaderPrefix = "SafetyCheck audit checkpoint v";

    /// <summary>First line of a version 1 checkpoint (chain only).</summary>
    public const string Header = "SafetyCheck audit checkpoint v1";

    /// <summary>First line of a version 2 checkpoint (chain and archived revisions).</summary>
    public const string HeaderV2 = "SafetyCheck audit checkpoint v2";

    /// <summary>Signature algorithm named on the signature line.</summary>
    public const string Algorithm = "ecdsa-p256-sha256";

    /// <summary>Most revisions one checkpoint lists.</summary>
    public const int MaxRevisions = 100_000;

    /// <summary>1 or 2.</summary>
    public int Version { get; init; } = 1;

    /// <summary>Version 2: the rule revisions archived when it was signed, in ordinal order; empty for version 1.</summary>
    public IReadOnlyList<string> Revisions { get; init; } = [];

    /// <summary>The signed text.</summary>
    public string Body => BodyOf(Version, Origin, Size, HeadHash, Revisions, Time);

    /// <summary>Signs <paramref name="head"/> at <paramref name="time"/> with a P-256 private key (a version 1 checkpoint).</summary>
    /// <exception cref="ArgumentException">The origin is empty or has a line break, or the key is not P-256.</exception>
    public static Checkpoint Create(string origin, AuditHead head, DateTimeOffset time, ECDsa signingKey)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        RequireP256(signingKey);
        return Create(origin, head, null, time, KeyIdOf(signingKey), body => signingKey.SignData(body, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    /// <summary>
    /// A version 2 checkpoint of <paramref name="head"/> and the archived <paramref name="revisions"/>, signed by
    /// <paramref name="sign"/> (which gets the body's UTF-8 bytes and returns a DER ECDSA P-256 SHA-256 signature: a key in
    /// this process, or an external signer) under <paramref name="keyId"/>. Version 1 when <paramref name="revisions"/> is null.
    /// </summary>
    /// <exception cref="ArgumentException">The origin is empty or has a line break, or a revision is not 64 lowercase hex digits.</exception>
    public static Checkpoint Create(string origin, AuditHead head, IEnumerable<string>? revisions, DateTimeOffset time, string keyId, Func<byte[], byte[]> sign)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(origin);
        ArgumentNullException.ThrowIfNull(head);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        ArgumentNullException.ThrowIfNull(sign);
        if (origin.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("An origin is one line.", nameof(origin));
        }

        string[] listed = revisions is null ? [] : [.. revisions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        if (listed.FirstOrDefault(r => !IsHash(r)) is { } bad)
        {
            throw new ArgumentException($"'{bad}' is not a rule revision.", nameof(revisions));
        }

        var version = revisions is null ? 1 : 2;
        var utc = AuditTime.Read(AuditTime.Write(time));
        var body = BodyOf(version, origin, head.Size, head.HeadHash, listed, utc);
        var signature = sign(Encoding.UTF8.GetBytes(body));
        return new Checkpoint(origin, head.Size, head.HeadHash, utc, keyId, Convert.ToBase64String(signature)) { Version = version, Revisions = listed };
    }

    /// <summary>Reads the text form, either version.</summary>
    /// <exception cref="FormatException">The text is not a checkpoint in the form written (the message says what is wrong;
    /// it never quotes more than the offending line's start).</exception>
    public static Checkpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var version = lines[0] switch
        {
            Header => 1,
            HeaderV2 => 2,
            _ => throw new FormatException($"the first line is not '{Header}' or '{HeaderV2}'"),
        };

        var at = 1;
        string Next(string name) => at < lines.Length ? Field(lines[at++], name) : throw new FormatException($"the '{name}:' line is missing");

        var origin = Next("origin");
        var size = ReadSize(Next("size"));
        var head = Next("head");
        if (!IsHash(head))
        {
            throw new FormatException("the head is not 64 lowercase hex digits");
        }

        var revisions = new List<string>();
        if (version == 2)
        {
            var count = ReadCount(Next("revisions"));
            for (var i = 0; i < count; i++)
            {
                var revision = Next("revision");
                if (!IsHash(revision))
                {
                    throw new FormatException($"revision {i + 1} is not 64 lowercase hex digits");
                }

                if (revisions.Count > 0 && string.CompareOrdinal(revisions[^1], revision) >= 0)
                {
                    throw new FormatException("the revisions are not in ordinal order without repeats");
                }

                revisions.Add(revision);
            }
        }

        var time = ReadTime(Next("time"));
        if (at >= lines.Length || lines[at++].Length != 0)
        {
            throw new FormatException("a blank line must follow the time line");
        }

        var signature = Next("signature").Split(' ');
        if (signature.Length != 3 || signature[0] != Algorithm || signature[1].Length != 16 || !signature[1].All(char.IsAsciiHexDigitLower))
        {
            throw new FormatException($"the signature line is not '{Algorithm} <16 hex digit key id> <base64>'");
        }

        if (lines.Skip(at).Any(l => l.Length != 0))
        {
            throw new FormatException("there is text after the signature line");
        }

        try
        {
            _ = Convert.FromBase64String(signature[2]);
        }
        catch (FormatException)
        {
            throw new FormatException("the signature is not base64");
        }

        var checkpoint = new Checkpoint(origin, size, head, time, signature[1], signature[2]) { Version = version, Revisions = revisions };
        if (!string.Equals(checkpoint.Origin, origin, StringComparison.Ordinal) || !BodyLinesMatch(checkpoint, lines))
        {
            throw new FormatException("the body is not in the form a checkpoint is written (a number or time written another way)");
        }

        return checkpoint;
    }

    /// <summary>The key id of <paramref name="key"/>: the first 16 hex digits of SHA-256 of its SubjectPublicKeyInfo.</summary>
    public static string KeyIdOf(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
    }

    /// <summary>The text form (see the type's remarks), ending with a newline.</summary>
    public string ToText() => $"{Body}\nsignature: {Algorithm} {KeyId} {SignatureBase64}\n";

    /// <summary>Equal when every field is, the revisions compared in order.</summary>
    public bool Equals(Checkpoint? other) =>
        other is not null
        && Version == other.Version
        && string.Equals(Origin, other.Origin, StringComparison.Ordinal)
        && Size == other.Size
        && string.Equals(HeadHash, other.HeadHash, StringComparison.Ordinal)
        && Time == other.Time
        && string.Equals(KeyId, other.KeyId, StringComparison.Ordinal)
        && string.Equals(SignatureBase64, other.SignatureBase64, StringComparison.Ordinal)
        && Revisions.SequenceEqual(other.Revisions, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Version, Origin, Size, HeadHash, Time, KeyId, SignatureBase64, Revisions.Count);

    /// <summary>True when the signature verifies with <paramref name="publicKey"/> (a P-256 public or private key).</summary>
    public bool VerifySignature(ECDsa publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (!CheckpointKeyFile.IsP256(publicKey))
        {
            return false;
        }

        try
        {
            return publicKey.VerifyData(
                Encoding.UTF8.GetBytes(Body), Convert.FromBase64String(SignatureBase64), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return false;
        }
    }

    private static string BodyOf(int version, string origin, long size, string headHash, IReadOnlyList<string> revisions, DateTimeOffset time)
    {
        var body = new StringBuilder();
        body.Append(version == 1 ? Header : HeaderV2).Append('\n')
            .Append("origin: ").Append(origin).Append('\n')
            .Append("size: ").Append(size.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("head: ").Append(headHash).Append('\n');
        if (version != 1)
        {
            body.Append("revisions: ").Append(revisions.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            foreach (var revision in revisions)
            {
                body.Append("revision: ").Append(revision).Append('\n');
            }
        }

        return body.Append("time: ").Append(AuditTime.Write(time)).Append('\n').ToString();
    }

    /// <summary>True when the lines read are exactly the body this checkpoint writes.</summary>
    private static bool BodyLinesMatch(Checkpoint checkpoint, string[] lines)
    {
        var written = checkpoint.Body.Split('\n');
        return written.Length - 1 <= lines.Length && written.Take(written.Length - 1).SequenceEqual(lines.Take(written.Length - 1), StringComparer.Ordinal);
    }

    private static long ReadSize(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            ? size
            : throw new FormatException($"the size is not a whole number of records from 0 to {long.MaxValue}");

    private static int ReadCount(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= MaxRevisions
            ? count
            : throw new FormatException($"the number of revisions is not a whole number from 0 to {MaxRevisions}");

    private static DateTimeOffset ReadTime(string text)
    {
        try
        {
            return AuditTime.Read(text);
        }
        catch (FormatException)
        {
            throw new FormatException("the time is not an RFC 3339 UTC time with seven fractional digits (2026-03-02T10:00:00.0000000Z)");
        }
    }

    private static bool IsHash(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);

    private static string Field(string line, string name) =>
        line.StartsWith(name + ": ", StringComparison.Ordinal)
            ? line[(name.Length + 2)..]
            : throw new FormatException($"expected the '{name}:' line, found '{(line.Length > 40 ? line[..40] + "…" : line)}'");

    private static void RequireP256(ECDsa key)
    {
        if (!CheckpointKeyFile.IsP256(key))
        {
            throw new ArgumentException("Checkpoints are signed with ECDSA P-256.", nameof(key));
        }
    }
}
