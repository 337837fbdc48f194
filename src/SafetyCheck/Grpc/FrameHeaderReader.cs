using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace SafetyCheck.Grpc;

/// <summary>
/// Passes a request body through unchanged and keeps the 5-byte header of its first gRPC frame (compression flag,
/// then the message length as an unsigned 32-bit big-endian number), so that a refusal by grpc-dotnet can be told
/// apart afterwards: a declared length over the limit is RESOURCE_EXHAUSTED whatever its size (grpc-dotnet itself
/// answers a length of 2^31 or more as an unexpected error).
/// </summary>
internal sealed class FrameHeaderReader(PipeReader inner) : PipeReader, IRequestBodyPipeFeature
{
    private const int HeaderSize = 5;

    private readonly byte[] _header = new byte[HeaderSize];
    private int _headerBytes;
    private bool _pastStart;
    private SequencePosition _lastStart;

    /// <summary>The first frame's declared message length in bytes, once its header has been read; else null.</summary>
    public uint? DeclaredLength => _headerBytes == HeaderSize ? BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(1)) : null;

    PipeReader IRequestBodyPipeFeature.Reader => this;

    /// <summary>Puts a reader in front of <paramref name="context"/>'s request body and returns it.</summary>
    public static FrameHeaderReader Install(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reader = new FrameHeaderReader(context.Request.BodyReader);
        context.Features.Set<IRequestBodyPipeFeature>(reader);
        return reader;
    }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        Observe(result.Buffer);
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        Observe(result.Buffer);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed)
    {
        NoteConsumed(consumed);
        inner.AdvanceTo(consumed);
    }

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        NoteConsumed(consumed);
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    private void Observe(ReadOnlySequence<byte> buffer)
    {
        _lastStart = buffer.Start;
        if (_pastStart || _headerBytes == HeaderSize)
        {
            return;
        }

        var available = (int)Math.Min(buffer.Length, HeaderSize);
        buffer.Slice(0, available).CopyTo(_header);
        _headerBytes = available;
    }

    // Once anything is consumed, later buffers no longer begin with the first frame.
    private void NoteConsumed(SequencePosition consumed)
    {
        if (!consumed.Equals(_lastStart))
        {
            _pastStart = true;
        }
    }
}
