namespace SafetyCheck.Core.Pipeline;

/// <summary>
/// Thrown by an <see cref="IDecisionRecorder"/> when the caller's token ended its wait after the record was handed to
/// the store, so it may still be committed. <see cref="Recorded"/> completes with the receipt if it is committed, and
/// is cancelled or faulted if it is not: the pipeline counts the decision then, as recorded, though nobody is told.
/// </summary>
public sealed class RecordingCancelledException : OperationCanceledException
{
    public RecordingCancelledException()
        : this("The wait for the record was cancelled; it may still be committed.", Task.FromCanceled<DecisionReceipt?>(new CancellationToken(canceled: true)), CancellationToken.None)
    {
    }

    public RecordingCancelledException(string message)
        : this(message, Task.FromCanceled<DecisionReceipt?>(new CancellationToken(canceled: true)), CancellationToken.None)
    {
    }

    public RecordingCancelledException(string message, Exception innerException)
        : base(message, innerException) => Recorded = Task.FromCanceled<DecisionReceipt?>(new CancellationToken(canceled: true));

    /// <summary>Creates the exception for a wait cancelled by <paramref name="token"/>, the record's fate in <paramref name="recorded"/>.</summary>
    public RecordingCancelledException(string message, Task<DecisionReceipt?> recorded, CancellationToken token)
        : base(message, token)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        Recorded = recorded;
    }

    /// <summary>The record's fate: its receipt once committed; cancelled or faulted when it was not.</summary>
    public Task<DecisionReceipt?> Recorded { get; }
}
