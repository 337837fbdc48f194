namespace SafetyCheck.Core.Terminology;

/// <summary>
/// The shape of a SNOMED CT concept id (SCTID): 6 to 18 decimal digits, no leading zero, a Verhoeff check digit
/// last, and a partition identifier (the two digits before the check digit) of 00 (a concept of the International
/// Edition) or 10 (a concept of an extension, with its namespace before the partition).
/// </summary>
/// <remarks>
/// A description id (partition 01 or 11), a relationship id (02, 12) or an id with a wrong check digit is not a
/// concept that a problem list can name, so it is never matched. The check is arithmetic only: a well-formed id may
/// still be one that no edition has issued.
/// </remarks>
public static class SnomedCtId
{
    /// <summary>Shortest SCTID the standard allows.</summary>
    public const int MinLength = 6;

    /// <summary>Longest SCTID.</summary>
    public const int MaxLength = 18;

    // Verhoeff's dihedral-group multiplication table and position permutation table.
    private static ReadOnlySpan<byte> Multiplication =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
        1, 2, 3, 4, 0, 6, 7, 8, 9, 5,
        2, 3, 4, 0, 1, 7, 8, 9, 5, 6,
        3, 4, 0, 1, 2, 8, 9, 5, 6, 7,
        4, 0, 1, 2, 3, 9, 5, 6, 7, 8,
        5, 9, 8, 7, 6, 0, 4, 3, 2, 1,
        6, 5, 9, 8, 7, 1, 0, 4, 3, 2,
        7, 6, 5, 9, 8, 2, 1, 0, 4, 3,
        8, 7, 6, 5, 9, 3, 2, 1, 0, 4,
        9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
    ];

    private static ReadOnlySpan<byte> Permutation =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
        1, 5, 7, 6, 2, 8, 3, 0, 9, 4,
        5, 8, 0, 3, 7, 9, 6, 1, 4, 2,
        8, 9, 1, 6, 0, 4, 3, 5, 2, 7,
        9, 4, 5, 3, 1, 2, 6, 8, 7, 0,
        4, 2, 8, 6, 5, 7, 3, 9, 0, 1,
        2, 7, 9, 3, 8, 0, 6, 4, 1, 5,
        7, 0, 4, 6, 9, 1, 3, 2, 5, 8,
    ];

    /// <summary>True when <paramref name="id"/> is a well-formed concept id (see the type's summary).</summary>
    public static bool IsValidConceptId(ReadOnlySpan<char> id) => Problem(id) is null;

    /// <summary>Why <paramref name="id"/> is not a well-formed concept id, for a message; null when it is one.</summary>
    public static string? Problem(ReadOnlySpan<char> id)
    {
        if (id.Length < MinLength || id.Length > MaxLength || id[0] == '0')
        {
            return "a SNOMED CT id has 6 to 18 digits and does not start with 0";
        }

        foreach (char c in id)
        {
            if (!char.IsAsciiDigit(c))
            {
                return "a SNOMED CT id has digits only";
            }
        }

        if (!HasValidCheckDigit(id))
        {
            return "its check digit is wrong (Verhoeff)";
        }

        // The partition identifier: the 2 digits before the check digit.
        char kind = id[^3];
        char component = id[^2];
        if (component != '0')
        {
            return component is '1' or '2'
                ? $"its partition {kind}{component} makes it a {(component == '1' ? "description" : "relationship")} id, not a concept id"
                : $"its partition {kind}{component} is not a concept partition (00 or 10)";
        }

        return kind is '0' or '1' ? null : $"its partition {kind}{component} is not a concept partition (00 or 10)";
    }

    /// <summary>The Verhoeff check over all digits, the last being the check digit.</summary>
    private static bool HasValidCheckDigit(ReadOnlySpan<char> digits)
    {
        int check = 0;
        for (int i = 0; i < digits.Length; i++)
        {
            int digit = digits[digits.Length - 1 - i] - '0';
            check = Multiplication[(check * 10) + Permutation[((i % 8) * 10) + digit]];
        }

        return check == 0;
    }
}
