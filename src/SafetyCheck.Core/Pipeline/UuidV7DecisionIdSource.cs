using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SafetyCheck.Core.Pipeline;

/// <summary>
/// UUIDv7 (RFC 9562 §5.7) from the injected clock: a 48-bit big-endian Unix time in milliseconds, the version and
/// variant bits, and 74 random bits. Ids sort by issue time to the millisecond; within one millisecond they are
/// unique but unordered.
/// </summary>
public sealed class UuidV7DecisionIdSource(TimeProvider clock) : IDecisionIdSource
{
    public string Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[6..]);

        // Times before 1970 cannot be represented; the clock is never set there outside a broken test.
        var unixMilliseconds = Math.Max(0, clock.GetUtcNow().ToUnixTimeMilliseconds());
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, unixMilliseconds);
        time[2..].CopyTo(bytes);

        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F)); // version 7
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F)); // variant 10xx
        return new Guid(bytes, bigEndian: true).ToString("D");
    }
}
