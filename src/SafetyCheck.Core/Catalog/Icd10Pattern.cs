using SafetyCheck.Core.Terminology;

namespace SafetyCheck.Core.Catalog;

/// <summary>
/// One ICD-10-CM pattern of a catalog condition, parsed and normalised (dot removed, upper case).
/// </summary>
/// <remarks>
/// <para>Matching is case-insensitive and ignores the dot in both the pattern and the code.</para>
/// <list type="bullet">
/// <item>A single code (<c>R50</c>, <c>P81.9</c>) matches that code and every code that starts with it: ICD-10-CM
/// is hierarchical, so <c>R50</c> matches <c>R50.9</c> and <c>R50.81</c>. A <c>?</c> in it matches any one character
/// (<c>G40.?01</c> matches <c>G40.001</c> and <c>G40.901</c>).</item>
/// <item>A range (<c>A00-B89</c>, <c>S11.0-S11.2</c>) matches a code whose first N characters lie between the
/// two ends inclusive in ordinal order, N being the length of the ends: <c>S11.0-S11.2</c> matches <c>S11.0</c>
/// and <c>S11.24XA</c> but not <c>S11.3</c> or <c>S11</c>.</item>
/// <item><see cref="Seventh"/>, when set, also requires a 7-character code whose 7th character is one of its letters
/// (<c>S42</c> with <c>ABCDEFGHJKMNPQR</c>: active fracture encounters, not <c>S</c> sequelae).</item>
/// </list>
/// <para>
/// Specificity, used when several patterns match one code: each constrained position is worth 4 (a pattern
/// character other than <c>?</c>; a range counts the length of its ends; a <see cref="Seventh"/> constraint counts
/// one more position when the pattern does not already fix the 7th character); a single code adds 1 over a range
/// of the same length; a pattern exactly as long as the code adds 2. So more constrained characters always win,
/// then an exact-length pattern beats a prefix, then a single code beats a range.
/// </para>
/// </remarks>
public sealed class Icd10Pattern
{
    internal Icd10Pattern(string text, string code, string? rangeEnd, string? seventh, int? gestationalWeeks)
    {
        Text = text;
        Code = code;
        RangeEnd = rangeEnd;
        Seventh = seventh;
        GestationalWeeks = gestationalWeeks;

        int constrained = rangeEnd is null ? code.Count(c => c != Icd10Syntax.Wildcard) : code.Length;
        bool seventhFixed = code.Length == Icd10Syntax.MaxLength && code[^1] != Icd10Syntax.Wildcard;
        if (seventh is not null && !seventhFixed)
        {
            constrained++;
        }

        ConstrainedPositions = constrained;
        Specificity = (4 * constrained) + (rangeEnd is null ? 1 : 0);
        string body = rangeEnd is null ? code : $"{code}-{rangeEnd}";
        Key = seventh is null ? body : $"{body} 7th:{seventh}";
    }

    /// <summary>1-based line of the pattern in the catalog file; 0 when not read from a file.</summary>
    public int Line { get; internal init; }

    /// <summary>1-based column of the pattern in the catalog file; 0 when not read from a file.</summary>
    public int Column { get; internal init; }

    /// <summary>The pattern as written in the catalog (for messages).</summary>
    public string Text { get; }

    /// <summary>The normalised code, or the normalised start of a range; 3 to 7 characters.</summary>
    public string Code { get; }

    /// <summary>The normalised end of a range (same length as <see cref="Code"/>); null for a single code.</summary>
    public string? RangeEnd { get; }

    /// <summary>True for a range <c>start-end</c>.</summary>
    public bool IsRange => RangeEnd is not null;

    /// <summary>Allowed 7th characters, upper case, sorted, each once; null when the 7th character is free.</summary>
    public string? Seventh { get; }

    /// <summary>Completed gestational weeks (22–44) a matching code encodes; null when not stated.</summary>
    public int? GestationalWeeks { get; }

    /// <summary>Positions the pattern constrains (see the remarks).</summary>
    public int ConstrainedPositions { get; }

    /// <summary>Specificity before the exact-length bonus (see the remarks).</summary>
    public int Specificity { get; }

    /// <summary>Canonical form: two patterns with the same key match exactly the same codes.</summary>
    public string Key { get; }

    /// <summary>
    /// True when <paramref name="code"/> (ICD-10-CM, with or without the dot, any case) matches this pattern;
    /// false also when the code is not an ICD-10-CM code shape.
    /// </summary>
    public bool Matches(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        Span<char> buffer = stackalloc char[Icd10Syntax.MaxLength];
        return Icd10Syntax.TryNormalizeCode(code, buffer, out int length) && Matches(buffer[..length]);
    }

    /// <summary>Matches a code already normalised by <see cref="Icd10Syntax.TryNormalizeCode"/>.</summary>
    internal bool Matches(ReadOnlySpan<char> normalizedCode)
    {
        if (Seventh is not null
            && (normalizedCode.Length != Icd10Syntax.MaxLength || !Seventh.Contains(normalizedCode[^1], StringComparison.Ordinal)))
        {
            return false;
        }

        if (normalizedCode.Length < Code.Length)
        {
            return false;
        }

        ReadOnlySpan<char> head = normalizedCode[..Code.Length];
        if (RangeEnd is not null)
        {
            return head.SequenceCompareTo(Code) >= 0 && head.SequenceCompareTo(RangeEnd) <= 0;
        }

        for (int i = 0; i < head.Length; i++)
        {
            if (Code[i] != Icd10Syntax.Wildcard && Code[i] != head[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The specificity of this pattern for a matching code of <paramref name="codeLength"/> characters.</summary>
    internal int ScoreFor(int codeLength) => Specificity + (codeLength == Code.Length ? 2 : 0);

    /// <summary>
    /// False only when no code can match both patterns (7th-character constraints are not considered, and a
    /// wildcard next to a range counts as a possible overlap): used to find exclusions that exclude nothing.
    /// </summary>
    internal bool MayOverlap(Icd10Pattern other)
    {
        if (RangeEnd is null && other.RangeEnd is null)
        {
            int common = Math.Min(Code.Length, other.Code.Length);
            for (int i = 0; i < common; i++)
            {
                char a = Code[i];
                char b = other.Code[i];
                if (a != b && a != Icd10Syntax.Wildcard && b != Icd10Syntax.Wildcard)
                {
                    return false;
                }
            }

            return true;
        }

        if (RangeEnd is not null && other.RangeEnd is not null)
        {
            int common = Math.Min(Code.Length, other.Code.Length);
            return Compare(Code, other.RangeEnd, common) <= 0 && Compare(other.Code, RangeEnd, common) <= 0;
        }

        Icd10Pattern range = RangeEnd is null ? other : this;
        Icd10Pattern single = RangeEnd is null ? this : other;
        int length = Math.Min(range.Code.Length, single.Code.Length);
        if (single.Code.AsSpan(0, length).Contains(Icd10Syntax.Wildcard))
        {
            return true;
        }

        // The range's heads and the single code's extensions overlap when the single code's first characters lie
        // between the ends cut to the same length.
        return Compare(range.Code, single.Code, length) <= 0 && Compare(single.Code, range.RangeEnd!, length) <= 0;
    }

    private static int Compare(string a, string b, int length) => a.AsSpan(0, length).SequenceCompareTo(b.AsSpan(0, length));

    /// <summary>The pattern as written.</summary>
    public override string ToString() => Text;
}
