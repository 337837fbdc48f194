using System.Text;

namespace SafetyCheck.Telemetry;

/// <summary>
/// Writes log text to a stream (stderr) from one background thread, in batches: callers append formatted lines to a
/// buffer and return; the thread wakes when the buffer has text and writes all of it with one write. While lines keep
/// coming (the last write was less than twice <see cref="Linger"/> ago) it first lets more gather for
/// <see cref="Linger"/>: at thousands of lines a second that is one system call and one wake-up per batch instead of per
/// line, while a line after a quiet spell (a verb's few lines) is written at once. Nothing is dropped: when
/// <see cref="Capacity"/> characters are waiting, callers wait for the writer. <see cref="Dispose"/> writes what is
/// left. Thread-safe.
/// </summary>
internal sealed class StderrLogWriter : IDisposable
{
    /// <summary>How long the writer lets lines gather after the first one of a batch (20 ms).</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(20);

    /// <summary>Characters that may wait to be written before callers wait (1 Mi).</summary>
    public const int Capacity = 1 << 20;

    private readonly object _gate = new();
    private readonly Stream _output;
    private readonly Thread _thread;
    private readonly UTF8Encoding _encoding = new(encoderShouldEmitUTF8Identifier: false);
    private StringBuilder _pending = new();
    private StringBuilder _writing = new();
    private byte[] _bytes = [];
    private long _lastWrite;
    private bool _writerWaiting;
    private bool _closed;

    /// <summary>A writer to <paramref name="output"/>, which it owns and disposes.</summary>
    public StderrLogWriter(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _thread = new Thread(Run) { IsBackground = true, Name = "Log writer" };
        _thread.Start();
    }

    /// <summary>Queues <paramref name="text"/> (one or more whole lines); returns once it is queued, not written.</summary>
    public void Append(StringBuilder text)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_gate)
        {
            while (_pending.Length >= Capacity && !_closed)
            {
                Monitor.Wait(_gate);
            }

            if (_closed)
            {
                // A line logged while the host stops, after the writer closed: written at once rather than lost.
                Write(text, new byte[_encoding.GetMaxByteCount(text.Length)]);
                return;
            }

            foreach (var chunk in text.GetChunks())
            {
                _pending.Append(chunk.Span);
            }

            if (_writerWaiting)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Writes what is queued and stops the writer.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            Monitor.PulseAll(_gate);
        }

        _thread.Join();
        _output.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            lock (_gate)
            {
                while (_pending.Length == 0 && !_closed)
                {
                    _writerWaiting = true;
                    Monitor.Wait(_gate);
                    _writerWaiting = false;
                }

                if (_pending.Length == 0)
                {
                    return;
                }
            }

            if (!Volatile.Read(ref _closed) && _lastWrite != 0 && System.Diagnostics.Stopwatch.GetElapsedTime(_lastWrite) < 2 * Linger)
            {
                Thread.Sleep(Linger);
            }

            lock (_gate)
            {
                (_pending, _writing) = (_writing, _pending);
                Monitor.PulseAll(_gate);
            }

            _bytes = Write(_writing, _bytes);
            _lastWrite = System.Diagnostics.Stopwatch.GetTimestamp();
            _writing.Clear();
            if (_writing.Capacity > Capacity)
            {
                _writing = new StringBuilder();
            }
        }
    }

    /// <summary>Encodes and writes <paramref name="text"/> through <paramref name="bytes"/>; returns the buffer, grown if it had to be.</summary>
    private byte[] Write(StringBuilder text, byte[] bytes)
    {
        try
        {
            foreach (var chunk in text.GetChunks())
            {
                var needed = _encoding.GetMaxByteCount(chunk.Length);
                if (bytes.Length < needed)
                {
                    bytes = new byte[Math.Max(needed, 4096)];
                }

                var count = _encoding.GetBytes(chunk.Span, bytes);
                _output.Write(bytes, 0, count);
            }

            _output.Flush();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // stderr is gone (a closed pipe, or the process is ending): there is nowhere left to report it.
        }

        return bytes;
    }
}
