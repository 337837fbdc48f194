using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace SafetyCheck.Core.Rules;

/// <summary>
/// Rule files are UTF-8 text. Read with the usual replacement of bad bytes, a file would not say what its author wrote
/// (and <c>fmt</c> would write the replacement character back), so the loader and <c>fmt</c> refuse such a file instead,
/// naming where its first bad byte is.
/// </summary>
public static class RuleFileText
{
    /// <summary>
    /// A diagnostic at the first byte of <paramref name="content"/> that is not UTF-8 (its line, and its column in
    /// characters); null when the whole file is UTF-8.
    /// </summary>
    public static Diagnostic? NotUtf8(string path, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Utf8.IsValid(content))
        {
            return null;
        }

        var valid = 0;
        while (Rune.DecodeFromUtf8(content[valid..], out _, out var length) == OperationStatus.Done)
        {
            valid += length;
        }

        var before = Encoding.UTF8.GetString(content[..valid]);
        var lineStart = before.LastIndexOf('\n') + 1;
        var line = before.Count(c => c == '\n') + 1;
        return new Diagnostic(path, line, before.Length - lineStart + 1,
            $"the file is not UTF-8 text: byte 0x{content[valid]:X2} at offset {valid} is not valid UTF-8 (save the file as UTF-8)");
    }

    /// <summary>The text of UTF-8 <paramref name="content"/>, without a byte order mark.</summary>
    public static string Decode(ReadOnlySpan<byte> content)
    {
        var text = Encoding.UTF8.GetString(content);
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }
}
