using System.Collections.Frozen;

namespace SafetyCheck.Core.Terminology;

/// <summary>
/// The ICD-10-CM codes that exist in one fiscal year's tabular list: categories, header codes and billable codes
/// (records carry all three). Read from <c>terminology/icd10cm-fyYYYY.txt</c> by
/// <see cref="Icd10CmCodeTableReader"/>; immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// Each code is held as one 64-bit number (6 bits per character), so a lookup allocates nothing and the whole
/// table of about 98,000 codes takes under 2 MB.
/// </remarks>
public sealed class Icd10CmCodeTable
{
    private const int BitsPerCharacter = 6;
    private const int CharacterMask = (1 << BitsPerCharacter) - 1;

    private readonly FrozenSet<long> codes;
    private readonly long[] inFileOrder;

    internal Icd10CmCodeTable(int fiscalYear, string file, long[] packedCodes)
    {
        FiscalYear = fiscalYear;
        File = file;
        inFileOrder = packedCodes;
        codes = packedCodes.ToFrozenSet();
    }

    /// <summary>The fiscal year of the release (2026 for FY2026: 1 October 2025 to 30 September 2026).</summary>
    public int FiscalYear { get; }

    /// <summary><c>FY2026</c>: how messages name the edition.</summary>
    public string Edition => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"FY{FiscalYear}");

    /// <summary>The table's path relative to the rule directory.</summary>
    public string File { get; }

    /// <summary>How many codes the table holds.</summary>
    public int Count => inFileOrder.Length;

    /// <summary>The codes, normalised (no dot, upper case), in the order of the file.</summary>
    public IEnumerable<string> Codes => inFileOrder.Select(Unpack);

    /// <summary>True when <paramref name="code"/> (with or without the dot, any case) is in the table.</summary>
    public bool Contains(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        Span<char> buffer = stackalloc char[Icd10Syntax.MaxLength];
        return Icd10Syntax.TryNormalizeCode(code, buffer, out int length) && Contains(buffer[..length]);
    }

    /// <summary>True when <paramref name="normalizedCode"/> (no dot, upper case) is in the table.</summary>
    internal bool Contains(ReadOnlySpan<char> normalizedCode) =>
        TryPack(normalizedCode, out long packed) && codes.Contains(packed);

    /// <summary>Packs a normalised code of 1 to 7 characters A–Z, 0–9; false for any other character or length.</summary>
    internal static bool TryPack(ReadOnlySpan<char> normalizedCode, out long packed)
    {
        packed = 0;
        if (normalizedCode.IsEmpty || normalizedCode.Length > Icd10Syntax.MaxLength)
        {
            return false;
        }

        foreach (char c in normalizedCode)
        {
            int value = c switch
            {
                >= '0' and <= '9' => c - '0' + 1,
                >= 'A' and <= 'Z' => c - 'A' + 11,
                _ => 0,
            };
            if (value == 0)
            {
                return false;
            }

            packed = (packed << BitsPerCharacter) | (uint)value;
        }

        return true;
    }

    /// <summary>The code a packed number stands for.</summary>
    internal static string Unpack(long packed)
    {
        Span<char> buffer = stackalloc char[Icd10Syntax.MaxLength];
        int length = 0;
        for (long rest = packed; rest != 0; rest >>= BitsPerCharacter)
        {
            int value = (int)(rest & CharacterMask);
            buffer[length++] = value <= 10 ? (char)('0' + value - 1) : (char)('A' + value - 11);
        }

        buffer[..length].Reverse();
        return new string(buffer[..length]);
    }
}
