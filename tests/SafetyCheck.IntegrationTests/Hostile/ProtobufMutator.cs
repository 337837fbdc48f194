namespace SafetyCheck.IntegrationTests.Hostile;

/// <summary>
/// Damages an encoded protobuf message at the wire level, the way a broken or hostile client would: bit flips,
/// truncation, inserted and deleted bytes, length prefixes that lie, a field's wire type or number swapped,
/// oversized, overlong and negative varints, deep nesting, unknown and repeated fields. Mutations inside a nested
/// message re-encode its length, so they reach the sub-messages (patient, session, timestamps) intact.
/// </summary>
internal static class ProtobufMutator
{
    private const int MaxDepth = 3;

    private static readonly ulong[] LyingLengths = [0, 1, 127, 128, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, ulong.MaxValue];

    private static readonly long[] AwkwardIntegers = [-1, -2, int.MinValue, int.MaxValue, (long)int.MaxValue + 1, long.MinValue, long.MaxValue, uint.MaxValue, 0];

    private static readonly int[] AwkwardFieldNumbers = [0, 1, 2, 3, 4, 5, 6, 7, 8, 15, 16, 19000, 19999, 536_870_911];

    /// <summary>The names of the mutations, in the order <see cref="Mutate(Random, byte[])"/> picks them by index.</summary>
    public static readonly string[] Kinds =
    [
        "bit-flips", "truncated", "inserted-bytes", "deleted-bytes", "length-lie", "wire-type", "field-number",
        "oversized-varint", "negative-varint", "deep-nesting", "unknown-fields", "repeated-field", "nested",
    ];

    /// <summary>One mutation of <paramref name="message"/>, chosen at random; returns its kind and the damaged bytes.</summary>
    public static (string Kind, byte[] Bytes) Mutate(Random random, byte[] message) => Mutate(random, message, 0);

    private static (string Kind, byte[] Bytes) Mutate(Random random, byte[] message, int depth)
    {
        var index = random.Next(depth < MaxDepth ? Kinds.Length : Kinds.Length - 1);
        var fields = Fields(message);
        byte[] mutated = index switch
        {
            0 => FlipBits(random, message),
            1 => message[..random.Next(message.Length + 1)],
            2 => Insert(message, random.Next(message.Length + 1), Bytes(random, random.Next(1, 16))),
            3 => Delete(random, message),
            4 => LieAboutALength(random, message, fields),
            5 => ChangeTag(random, message, fields, wireType: true),
            6 => ChangeTag(random, message, fields, wireType: false),
            7 => Insert(message, Boundary(random, message, fields), [.. Varint(Tag(random.Next(1, 16), 0)), .. OversizedVarint(random)]),
            8 => Insert(message, Boundary(random, message, fields), [.. Varint(Tag(random.Next(1, 16), 0)), .. Varint((ulong)Pick(random, AwkwardIntegers))]),
            9 => Nest(random, message),
            10 => [.. message, .. UnknownFields(random)],
            11 => fields.Count == 0 ? message : Repeat(message, fields[random.Next(fields.Count)]),
            _ => MutateInside(random, message, fields, depth),
        };
        return (Kinds[index], mutated);
    }

    /// <summary>A valid encoding of an unsigned varint.</summary>
    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>(10);
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    private static ulong Tag(int number, int wireType) => ((ulong)(uint)number << 3) | (uint)wireType;

    private static byte[] FlipBits(Random random, byte[] message)
    {
        var copy = (byte[])message.Clone();
        for (var flips = random.Next(1, 9); flips > 0 && copy.Length > 0; flips--)
        {
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }

    private static byte[] Delete(Random random, byte[] message)
    {
        if (message.Length == 0)
        {
            return message;
        }

        var start = random.Next(message.Length);
        var length = random.Next(1, Math.Min(16, message.Length - start) + 1);
        return [.. message.AsSpan(0, start), .. message.AsSpan(start + length)];
    }

    private static byte[] Insert(byte[] message, int at, byte[] bytes) => [.. message.AsSpan(0, at), .. bytes, .. message.AsSpan(at)];

    private static byte[] LieAboutALength(Random random, byte[] message, List<WireField> fields)
    {
        var delimited = fields.Where(f => f.WireType == 2).ToArray();
        if (delimited.Length == 0)
        {
            return [.. message, .. Varint(Tag(random.Next(1, 8), 2)), .. Varint(Pick(random, LyingLengths)), 0x41];
        }

        var field = delimited[random.Next(delimited.Length)];
        var position = field.TagEnd;
        ReadVarint(message, ref position, out var length);
        var lie = random.Next(3) == 0 ? Pick(random, LyingLengths) : length + (ulong)random.Next(1, 8) * (random.Next(2) == 0 ? 1UL : ulong.MaxValue);
        return [.. message.AsSpan(0, field.TagEnd), .. Varint(lie), .. message.AsSpan(position)];
    }

    private static byte[] ChangeTag(Random random, byte[] message, List<WireField> fields, bool wireType)
    {
        if (fields.Count == 0)
        {
            return message;
        }

        var field = fields[random.Next(fields.Count)];
        var tag = wireType
            ? Tag(field.Number, (field.WireType + random.Next(1, 8)) % 8)
            : Tag(random.Next(3) == 0 ? random.Next(1, 536_870_912) : Pick(random, AwkwardFieldNumbers), field.WireType);
        return [.. message.AsSpan(0, field.Start), .. Varint(tag), .. message.AsSpan(field.TagEnd)];
    }

    /// <summary>Too many bytes for a 64-bit varint, a varint past 64 bits, or an overlong (non-minimal) encoding.</summary>
    private static byte[] OversizedVarint(Random random) => random.Next(4) switch
    {
        0 => [.. Enumerable.Repeat((byte)0xFF, random.Next(10, 20))],
        1 => [.. Enumerable.Repeat((byte)0xFF, 9), 0x7F],
        2 => [.. Enumerable.Repeat((byte)0x80, random.Next(1, 9)), 0x00],
        _ => [.. Enumerable.Repeat((byte)0x80, random.Next(1, 12))],
    };

    /// <summary>The message wrapped in itself, or in start-group tags, from 50 to 400 levels deep.</summary>
    private static byte[] Nest(Random random, byte[] message)
    {
        var depth = random.Next(50, 400);
        if (random.Next(2) == 0)
        {
            var groups = Varint(Tag(random.Next(1, 20), 3));
            var ends = random.Next(2) == 0 ? Varint(Tag(random.Next(1, 20), 4)) : [];
            return [.. Enumerable.Repeat(groups, depth).SelectMany(g => g), .. message, .. Enumerable.Repeat(ends, depth).SelectMany(e => e)];
        }

        var nested = message;
        var field = random.Next(1, 7);
        for (var i = 0; i < depth; i++)
        {
            nested = [.. Varint(Tag(field, 2)), .. Varint((ulong)nested.Length), .. nested];
        }

        return nested;
    }

    private static byte[] UnknownFields(Random random)
    {
        var bytes = new List<byte>();
        for (var n = random.Next(1, 6); n > 0; n--)
        {
            var number = random.Next(2) == 0 ? random.Next(100, 20000) : random.Next(1, 536_870_912);
            var wireType = Pick(random, [0, 1, 2, 5]);
            bytes.AddRange(Varint(Tag(number, wireType)));
            bytes.AddRange(wireType switch
            {
                0 => Varint((ulong)random.NextInt64()),
                1 => Bytes(random, 8),
                2 => [.. Varint(16), .. Bytes(random, 16)],
                _ => Bytes(random, 4),
            });
        }

        return [.. bytes];
    }

    /// <summary>Mutates the content of one nested message and re-encodes its length, so the damage is inside it.</summary>
    private static byte[] MutateInside(Random random, byte[] message, List<WireField> fields, int depth)
    {
        var delimited = fields.Where(f => f.WireType == 2).ToArray();
        if (delimited.Length == 0)
        {
            return FlipBits(random, message);
        }

        var field = delimited[random.Next(delimited.Length)];
        var position = field.TagEnd;
        ReadVarint(message, ref position, out var length);
        var inside = message.AsSpan(position, (int)length).ToArray();
        var (_, mutated) = Mutate(random, inside, depth + 1);
        return [.. message.AsSpan(0, field.TagEnd), .. Varint((ulong)mutated.Length), .. mutated, .. message.AsSpan(field.End)];
    }

    /// <summary>The message with one of its fields sent again at the end (last wins for scalars, merged for messages).</summary>
    private static byte[] Repeat(byte[] message, WireField field) => [.. message, .. message.AsSpan(field.Start, field.End - field.Start)];

    private static int Boundary(Random random, byte[] message, List<WireField> fields) =>
        fields.Count == 0 ? message.Length : random.Next(2) == 0 ? fields[random.Next(fields.Count)].Start : message.Length;

    /// <summary>The top-level fields, as far as the bytes parse.</summary>
    private static List<WireField> Fields(byte[] message)
    {
        var fields = new List<WireField>();
        var position = 0;
        while (position < message.Length)
        {
            var start = position;
            if (!ReadVarint(message, ref position, out var tag) || tag >> 3 is 0 or > 536_870_911)
            {
                break;
            }

            var tagEnd = position;
            var wireType = (int)(tag & 7);
            switch (wireType)
            {
                case 0:
                    if (!ReadVarint(message, ref position, out _))
                    {
                        return fields;
                    }

                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    if (!ReadVarint(message, ref position, out var length) || length > (ulong)(message.Length - position))
                    {
                        return fields;
                    }

                    position += (int)length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    return fields;
            }

            if (position > message.Length)
            {
                break;
            }

            fields.Add(new WireField(start, tagEnd, position, (int)(tag >> 3), wireType));
        }

        return fields;
    }

    private static bool ReadVarint(byte[] bytes, ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && position < bytes.Length; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static byte[] Bytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];

    /// <summary>A field's extent: its tag from <see cref="Start"/>, its value from <see cref="TagEnd"/> to <see cref="End"/>.</summary>
    private readonly record struct WireField(int Start, int TagEnd, int End, int Number, int WireType);
}
