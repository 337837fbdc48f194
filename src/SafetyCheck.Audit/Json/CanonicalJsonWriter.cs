using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SafetyCheck.Audit.Json;

/// <summary>
/// Writes canonical JSON (RFC 8785, as <see cref="CanonicalJson"/> defines it) straight to UTF-8 in a buffer rented
/// from the shared array pool: no reflection, no intermediate tree, no string per value. The caller writes object
/// members in canonical order (ordinal UTF-16 order of their names); the writer adds separators and escaping only.
/// Not thread-safe: one writer per thread or per serial task, reused with <see cref="Reset"/>. Dispose to return the
/// buffer.
/// </summary>
public sealed class CanonicalJsonWriter : IDisposable
{
    /// <summary>Bytes rented at first; the buffer doubles when a document outgrows it.</summary>
    public const int InitialCapacity = 4096;

    private byte[] _buffer;
    private int _length;
    private bool _needsComma;
    private int _hashes;
    private IncrementalHash? _sha256;

    public CanonicalJsonWriter() => _buffer = ArrayPool<byte>.Shared.Rent(InitialCapacity);

    /// <summary>The UTF-8 bytes written since the last <see cref="Reset"/>.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>Starts a new document in the same buffer.</summary>
    public void Reset()
    {
        _length = 0;
        _needsComma = false;
    }

    public void WriteStartObject()
    {
        Separator();
        Append((byte)'{');
        _needsComma = false;
    }

    public void WriteEndObject()
    {
        Append((byte)'}');
        _needsComma = true;
    }

    public void WriteStartArray()
    {
        Separator();
        Append((byte)'[');
        _needsComma = false;
    }

    public void WriteEndArray()
    {
        Append((byte)']');
        _needsComma = true;
    }

    /// <summary>An object member's name; its value follows.</summary>
    /// <exception cref="ArgumentException">The name holds a lone surrogate.</exception>
    public void WritePropertyName(string name)
    {
        Separator();
        WriteQuoted(name);
        Append((byte)':');
        _needsComma = false;
    }

    /// <exception cref="ArgumentException">The value holds a lone surrogate.</exception>
    public void WriteStringValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Separator();
        WriteQuoted(value);
        _needsComma = true;
    }

    /// <summary>The string <c>first + separator + second</c>, without building it.</summary>
    /// <exception cref="ArgumentException">A part holds a lone surrogate.</exception>
    public void WriteStringValue(string first, char separator, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        Separator();
        Reserve(((first.Length + second.Length + 1) * 6) + 2);
        _buffer[_length++] = (byte)'"';
        WriteEscaped(first);
        WriteEscaped([separator]);
        WriteEscaped(second);
        _buffer[_length++] = (byte)'"';
        _needsComma = true;
    }

    /// <summary>An instant in the audit form (<see cref="AuditTime"/>), as a string.</summary>
    public void WriteTimeValue(DateTimeOffset instant)
    {
        Separator();
        var span = Reserve(AuditTime.Length + 2);
        span[0] = (byte)'"';
        AuditTime.Write(instant, span.Slice(1, AuditTime.Length));
        span[AuditTime.Length + 1] = (byte)'"';
        _length += AuditTime.Length + 2;
        _needsComma = true;
    }

    /// <summary>A calendar date as <c>YYYY-MM-DD</c>, as a string.</summary>
    public void WriteDateValue(DateOnly date)
    {
        Separator();
        var span = Reserve(12);
        span[0] = (byte)'"';
        if (!date.TryFormat(span[1..], out var written, "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture) || written != 10)
        {
            throw new ArgumentOutOfRangeException(nameof(date), date, "A date with a four-digit year is required.");
        }

        span[11] = (byte)'"';
        _length += 12;
        _needsComma = true;
    }

    /// <exception cref="ArgumentException">The integer is beyond ±2^53 and has no exact canonical form.</exception>
    public void WriteNumberValue(long value)
    {
        if (value > CanonicalJson.MaxSafeInteger || value < -CanonicalJson.MaxSafeInteger)
        {
            throw new ArgumentException($"The integer {value} is beyond ±2^53 and has no exact canonical form.", nameof(value));
        }

        Separator();
        var span = Reserve(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        _length += written;
        _needsComma = true;
    }

    /// <summary>A number as ECMAScript writes it (<see cref="CanonicalJson.FormatNumber"/>).</summary>
    /// <exception cref="ArgumentException">The value is NaN or infinite.</exception>
    public void WriteNumberValue(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException("Canonical JSON has no NaN or infinity.", nameof(value));
        }

        Separator();
        var span = Reserve(32);
        if (value == 0)
        {
            span[0] = (byte)'0';
            _length++;
        }
        else if (value.TryFormat(span, out var written, "R", CultureInfo.InvariantCulture) && span[..written].IndexOf((byte)'E') < 0)
        {
            // Without an exponent .NET's shortest round-trip form is ECMAScript's (fixed notation, same digits).
            _length += written;
        }
        else
        {
            var text = CanonicalJson.FormatNumber(value);
            Encoding.ASCII.GetBytes(text, Reserve(text.Length));
            _length += text.Length;
        }

        _needsComma = true;
    }

    public void WriteBooleanValue(bool value)
    {
        Separator();
        AppendAscii(value ? "true"u8 : "false"u8);
        _needsComma = true;
    }

    public void WriteNullValue()
    {
        Separator();
        AppendAscii("null"u8);
        _needsComma = true;
    }

    /// <summary>
    /// A value already in canonical form, copied as it is: bytes this writer wrote for the same value (kept to write
    /// it again without escaping and checking it again). Nothing is checked.
    /// </summary>
    public void WriteCanonicalValue(ReadOnlySpan<byte> canonical)
    {
        Separator();
        AppendAscii(canonical);
        _needsComma = true;
    }

    /// <summary>A member with a string value.</summary>
    public void WriteString(string name, string value)
    {
        WritePropertyName(name);
        WriteStringValue(value);
    }

    /// <summary>A member with an integer value.</summary>
    public void WriteNumber(string name, long value)
    {
        WritePropertyName(name);
        WriteNumberValue(value);
    }

    /// <summary>The written document as a string.</summary>
    public override string ToString() => Encoding.UTF8.GetString(WrittenSpan);

    /// <summary>
    /// Lowercase hex SHA-256 of the written bytes. A writer that hashes again (the chain writer hashes every record)
    /// keeps one hash context for it rather than setting one up per record.
    /// </summary>
    public string Sha256Hex()
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        if (++_hashes == 1)
        {
            SHA256.HashData(WrittenSpan, hash);
        }
        else
        {
            _sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            _sha256.AppendData(WrittenSpan);
            _sha256.GetHashAndReset(hash);
        }

        return Convert.ToHexStringLower(hash);
    }

    public void Dispose()
    {
        _sha256?.Dispose();
        _sha256 = null;
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A quoted string with RFC 8785's minimal escaping: <c>"</c>, <c>\</c> and control characters only.</summary>
    private void WriteQuoted(ReadOnlySpan<char> text)
    {
        // Worst case: every character a six-byte \u00xx escape; UTF-8 needs at most three bytes per UTF-16 unit.
        Reserve((text.Length * 6) + 2);
        _buffer[_length++] = (byte)'"';
        WriteEscaped(text);
        _buffer[_length++] = (byte)'"';
    }

    // Capacity is reserved by the caller: six bytes per character.
    private void WriteEscaped(ReadOnlySpan<char> text)
    {
        // Most strings (ids, codes, enum names) are printable ASCII without a quote or backslash: copy them as they are.
        if (!text.ContainsAnyExceptInRange(' ', '~') && text.IndexOfAny('"', '\\') < 0)
        {
            _length += Encoding.ASCII.GetBytes(text, _buffer.AsSpan(_length));
            return;
        }

        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x20 || c == '"' || c == '\\')
            {
                AppendUtf8(text[start..i]);
                AppendEscape(c);
                start = i + 1;
            }
            else if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    throw new ArgumentException("A string holds a lone surrogate, which has no canonical UTF-8 form.", nameof(text));
                }

                i++;
            }
        }

        AppendUtf8(text[start..]);
    }

    private void AppendEscape(char c)
    {
        var shortForm = c switch
        {
            '"' => (byte)'"',
            '\\' => (byte)'\\',
            '\b' => (byte)'b',
            '\f' => (byte)'f',
            '\n' => (byte)'n',
            '\r' => (byte)'r',
            '\t' => (byte)'t',
            _ => (byte)0,
        };
        _buffer[_length++] = (byte)'\\';
        if (shortForm != 0)
        {
            _buffer[_length++] = shortForm;
            return;
        }

        _buffer[_length++] = (byte)'u';
        _buffer[_length++] = (byte)'0';
        _buffer[_length++] = (byte)'0';
        _buffer[_length++] = (byte)"0123456789abcdef"[c >> 4];
        _buffer[_length++] = (byte)"0123456789abcdef"[c & 0xF];
    }

    // Capacity is reserved by the caller.
    private void AppendUtf8(ReadOnlySpan<char> text)
    {
        if (!text.IsEmpty)
        {
            _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
        }
    }

    private void Separator()
    {
        if (_needsComma)
        {
            Append((byte)',');
        }
    }

    private void Append(byte value)
    {
        Reserve(1);
        _buffer[_length++] = value;
    }

    private void AppendAscii(ReadOnlySpan<byte> ascii)
    {
        ascii.CopyTo(Reserve(ascii.Length));
        _length += ascii.Length;
    }

    /// <summary>At least <paramref name="count"/> free bytes at the end of the written part.</summary>
    private Span<byte> Reserve(int count)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (_buffer.Length - _length < count)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _buffer.AsSpan(_length);
    }
}
