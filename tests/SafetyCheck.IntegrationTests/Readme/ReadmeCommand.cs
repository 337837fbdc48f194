using System.Text.RegularExpressions;

namespace SafetyCheck.IntegrationTests.Readme;

/// <summary>A command of a README console block and the output shown for it (stdout and stderr together).</summary>
public sealed partial record ReadmeCommand(string Command, IReadOnlyList<string> Output)
{
    /// <summary>A shown output line that stands for any number of lines (the README's elisions).</summary>
    public const string Elision = "...";

    /// <summary>
    /// The line with what changes from run to run masked: UUIDs, RFC 3339 times, hex runs of 12 or more (hashes,
    /// revisions and their short forms), rule set versions, and runs of spaces (columns widen with what they hold).
    /// </summary>
    public static string Mask(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        line = Uuid().Replace(line, "<id>");
        line = Time().Replace(line, "<time>");
        line = Hex().Replace(line, "<hex>");
        line = line.Replace("<sha-256>", "<hex>", StringComparison.Ordinal);
        line = Version().Replace(line, "<version>");
        return Spaces().Replace(line.TrimEnd(), " ");
    }

    /// <summary>Null when <paramref name="actual"/> shows what <see cref="Output"/> shows; otherwise where they part.</summary>
    public string? Compare(IReadOnlyList<string> actual)
    {
        ArgumentNullException.ThrowIfNull(actual);
        var expected = Output.Select(Mask).ToArray();
        var got = actual.Select(Mask).ToArray();
        return Matches(expected, 0, got, 0) ? null : Difference(expected, got, actual);
    }

    private static bool Matches(string[] expected, int e, string[] actual, int a)
    {
        while (e < expected.Length && a < actual.Length && expected[e] != Elision)
        {
            if (expected[e] != actual[a])
            {
                return false;
            }

            e++;
            a++;
        }

        if (e == expected.Length)
        {
            return a == actual.Length;
        }

        if (expected[e] != Elision)
        {
            return false;
        }

        for (var skip = a; skip <= actual.Length; skip++)
        {
            if (Matches(expected, e + 1, actual, skip))
            {
                return true;
            }
        }

        return false;
    }

    private static string Difference(string[] expected, string[] actual, IReadOnlyList<string> raw)
    {
        var i = 0;
        while (i < expected.Length && i < actual.Length && expected[i] == actual[i])
        {
            i++;
        }

        return $"line {i + 1} of the output differs\n  README: {(i < expected.Length ? expected[i] : "(nothing more)")}\n  actual: {(i < actual.Length ? actual[i] : "(nothing more)")}\n--- actual output\n{string.Join('\n', raw)}";
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Uuid();

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")]
    private static partial Regex Time();

    [GeneratedRegex("[0-9a-f]{12,}")]
    private static partial Regex Hex();

    [GeneratedRegex(@"(?<=""version"": "")\d+\.\d+\.\d+|(?<=safetycheck-pediatric-massage )\d+\.\d+\.\d+")]
    private static partial Regex Version();

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();
}
