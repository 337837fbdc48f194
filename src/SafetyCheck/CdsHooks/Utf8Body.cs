using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using SafetyCheck.Core.Validation;

namespace SafetyCheck.CdsHooks;

/// <summary>
/// Checks that a body is UTF-8 text before any JSON reader sees it. System.Text.Json parses bytes that are not valid
/// UTF-8 inside a string (a Latin-1 <c>ü</c>, a lone <c>0xFF</c>) and throws only when the string is read, from
/// whichever reader reads it first; so a body is checked once, whole, where it enters, and refused naming where the bad
/// bytes are: the string's path (<c>prefetch.patient.name[0].family</c>) when the body is JSON, and always the byte
/// offset.
/// </summary>
internal static class Utf8Body
{
    // As the handler parses: the path is found in the same tree the readers would walk.
    private static readonly JsonDocumentOptions Lenient = new() { MaxDepth = 64, AllowDuplicateProperties = true };

    /// <summary>Null when <paramref name="body"/> is UTF-8 text; otherwise the violation naming where it is not.</summary>
    public static FieldViolation? Check(ReadOnlyMemory<byte> body)
    {
        if (Utf8.IsValid(body.Span))
        {
            return null;
        }

        var offset = FirstInvalidByte(body.Span);
        var description = $"is not UTF-8 text: the byte 0x{body.Span[offset]:X2} at offset {offset} of the body does not start or continue a UTF-8 sequence (CDS Hooks bodies are JSON in UTF-8; send text such as 'ü' as UTF-8 or as a \\u escape)";
        return new FieldViolation(PathOf(body) ?? "$", description);
    }

    /// <summary>The offset of the first byte that is not part of a valid UTF-8 sequence.</summary>
    private static int FirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return 0;
    }

    /// <summary>The path of the first string or member name holding bytes that are not UTF-8; null when the body is not JSON or none is found.</summary>
    private static string? PathOf(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, Lenient);
            return Find(document.RootElement, "");
        }
        catch (JsonException)
        {
            // The bad bytes are outside any string: the offset says where.
            return null;
        }
        catch (InvalidOperationException)
        {
            // A member name that is no text in another way (an unpaired surrogate escape) on the way: the offset says where.
            return null;
        }
    }

    private static string? Find(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Utf8.IsValid(JsonMarshal.GetRawUtf8Value(element)) ? null : Named(path);
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!Utf8.IsValid(JsonMarshal.GetRawUtf8PropertyName(property)))
                    {
                        // A name that is not text cannot be written in the path: its object is named.
                        return Named(path);
                    }

                    if (Find(property.Value, path.Length == 0 ? property.Name : path + "." + property.Name) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item, $"{Named(path)}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static string Named(string path) => path.Length == 0 ? "$" : path;
}
