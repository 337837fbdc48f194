using System.Buffers.Binary;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// Card uuids that lead back to their decision without any state: the card at index <c>i</c> of a decision has the
/// decision's UUIDv7 with its last 16 bits XORed with <c>i</c> (so the verdict card, index 0, has the decision id
/// itself). The result is still a UUIDv7 and is unique per card. Feedback names only the card: the candidates
/// <see cref="DecisionCandidates"/> are looked up in the audit trail, and the one that is a decision is the card's.
/// </summary>
internal static class CardIds
{
    /// <summary>Largest card index: a decision has at most this many cards plus one.</summary>
    public const int MaxIndex = 31;

    /// <summary>The uuid of card <paramref name="index"/> of decision <paramref name="decisionId"/>.</summary>
    public static string For(string decisionId, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, MaxIndex);
        return Xor(Guid.Parse(decisionId), index).ToString("D");
    }

    /// <summary>The decision ids a card uuid can come from, index 0 first; empty when it is not a UUID.</summary>
    public static IEnumerable<string> DecisionCandidates(string cardUuid)
    {
        if (!Guid.TryParseExact(cardUuid, "D", out var card))
        {
            yield break;
        }

        for (var i = 0; i <= MaxIndex; i++)
        {
            yield return Xor(card, i).ToString("D");
        }
    }

    private static Guid Xor(Guid id, int index)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        var last = BinaryPrimitives.ReadUInt16BigEndian(bytes[14..]);
        BinaryPrimitives.WriteUInt16BigEndian(bytes[14..], (ushort)(last ^ index));
        return new Guid(bytes, bigEndian: true);
    }
}
