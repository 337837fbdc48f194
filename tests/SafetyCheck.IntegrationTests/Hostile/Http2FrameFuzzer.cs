using System.Buffers.Binary;
using System.Text;

namespace SafetyCheck.IntegrationTests.Hostile;

/// <summary>
/// Raw HTTP/2 connections for the wire-level fuzz run: a client preface (sometimes damaged) followed by frames of
/// every type with random flags, stream ids, lengths that lie and random payloads, mixed with well-formed requests
/// (HEADERS in literal HPACK, then DATA carrying a damaged gRPC frame) so that some reach the gRPC layer.
/// </summary>
internal static class Http2FrameFuzzer
{
    public static readonly string[] Kinds = ["random-frames", "settings", "flow-control", "headers-garbage", "request-with-damaged-frame", "bad-preface"];

    private static readonly byte[] Preface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

    /// <summary>The bytes of one connection's worth of frames, and its kind.</summary>
    public static (string Kind, byte[] Bytes) Connection(Random random, Func<Random, byte[]> grpcBody, string authorization)
    {
        var index = random.Next(Kinds.Length);
        var bytes = new List<byte>(Preface);
        bytes.AddRange(Frame(4, 0, 0, []));
        switch (index)
        {
            case 0:
                for (var n = random.Next(1, 12); n > 0; n--)
                {
                    bytes.AddRange(RandomFrame(random));
                }

                break;
            case 1:
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    var payload = new byte[6 * random.Next(0, 8)];
                    for (var i = 0; i < payload.Length; i += 6)
                    {
                        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(i), (ushort)random.Next(0, 10));
                        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(i + 2), (uint)random.NextInt64(0, (long)uint.MaxValue + 1));
                    }

                    bytes.AddRange(Frame(4, (byte)random.Next(2), random.Next(3) == 0 ? random.Next(1, 10) : 0, payload));
                }

                break;
            case 2:
                for (var n = random.Next(1, 6); n > 0; n--)
                {
                    var increment = new byte[4];
                    BinaryPrimitives.WriteUInt32BigEndian(increment, (uint)Pick(random, [0L, 1L, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, random.Next()]));
                    bytes.AddRange(Frame(8, 0, Pick(random, [0, 1, 3, 0x7FFF_FFFF]), increment));
                }

                break;
            case 3:
                var garbage = new byte[random.Next(0, 200)];
                random.NextBytes(garbage);
                bytes.AddRange(Frame(1, (byte)Pick(random, [0x4, 0x5, 0x1, 0x0, 0x24, 0x2D]), Pick(random, [1, 2, 3, 0]), garbage));
                if (random.Next(2) == 0)
                {
                    bytes.AddRange(Frame(9, (byte)random.Next(0, 5), 1, garbage));
                }

                break;
            case 4:
                var stream = 1;
                for (var n = random.Next(1, 4); n > 0; n--, stream += 2)
                {
                    bytes.AddRange(Frame(1, 0x4, stream, RequestHeaders(authorization)));
                    var body = grpcBody(random);
                    var cut = random.Next(4) == 0 ? random.Next(body.Length + 1) : body.Length;
                    bytes.AddRange(Frame(0, (byte)(random.Next(4) == 0 ? 0 : 1), stream, body.AsSpan(0, cut)));
                    if (random.Next(5) == 0)
                    {
                        bytes.AddRange(Frame(3, 0, stream, [0, 0, 0, 8]));
                    }
                }

                break;
            default:
                var damaged = bytes.ToArray();
                damaged[random.Next(Preface.Length)] ^= (byte)(1 << random.Next(8));
                return (Kinds[index], damaged);
        }

        return (Kinds[index], [.. bytes]);
    }

    /// <summary>A frame: 24-bit length, type, flags, 31-bit stream id, payload.</summary>
    private static byte[] Frame(byte type, byte flags, int stream, ReadOnlySpan<byte> payload) => Frame(type, flags, stream, payload, payload.Length);

    private static byte[] Frame(byte type, byte flags, int stream, ReadOnlySpan<byte> payload, int declaredLength)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(declaredLength >> 16);
        frame[1] = (byte)(declaredLength >> 8);
        frame[2] = (byte)declaredLength;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), (uint)stream);
        payload.CopyTo(frame.AsSpan(9));
        return frame;
    }

    private static byte[] RandomFrame(Random random)
    {
        var payload = new byte[random.Next(0, 64)];
        random.NextBytes(payload);
        var declared = random.Next(4) == 0 ? random.Next(0, 1 << 24) : payload.Length;
        var stream = random.Next(3) switch
        {
            0 => 0,
            1 => (random.Next(0, 50) * 2) + 1,
            _ => random.Next(),
        };
        return Frame((byte)random.Next(0, 14), (byte)random.Next(256), stream, payload, declared);
    }

    /// <summary>HEADERS for a gRPC Check call in literal HPACK (no indexing, no Huffman coding).</summary>
    private static byte[] RequestHeaders(string authorization)
    {
        var block = new List<byte>();
        foreach (var (name, value) in new[]
        {
            (":method", "POST"), (":scheme", "http"), (":path", "/safetycheck.v1.SafetyCheck/Check"), (":authority", "localhost"),
            ("content-type", "application/grpc"), ("te", "trailers"), ("authorization", authorization),
        })
        {
            block.Add(0x00);
            AddString(block, name);
            AddString(block, value);
        }

        return [.. block];
    }

    private static void AddString(List<byte> block, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);

        // A 7-bit prefixed length (RFC 7541, section 5.1); every string here is shorter than 127 + 128 bytes.
        if (bytes.Length < 127)
        {
            block.Add((byte)bytes.Length);
        }
        else
        {
            block.Add(127);
            block.Add((byte)(bytes.Length - 127));
        }

        block.AddRange(bytes);
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];
}
