namespace SafetyCheck.Audit.Chain;

/// <summary>
/// Thrown by <see cref="AuditChainWriter.AppendAsync"/> when the caller's token ended its wait before the writer
/// answered. The entry may be committed still (it was already in a batch) or not (it was dropped from the queue):
/// <see cref="Committed"/> says which once the writer knows.
/// </summary>
public sealed class AppendCancelledException : OperationCanceledException
{
    public AppendCancelledException()
        : this("The wait for the commit was cancelled.", Task.FromCanceled<AuditReceipt?>(new CancellationToken(canceled: true)), CancellationToken.None)
    {
    }

    public AppendCancelledException(string message)
        : this(message, Task.FromCanceled<AuditReceipt?>(new CancellationToken(canceled: true)), CancellationToken.None)
    {
    }

    public AppendCancelledException(string message, Exception innerException)
        : base(message, innerException) => Committed = Task.FromCanceled<AuditReceipt?>(new CancellationToken(canceled: true));

    /// <summary>Creates the exception for a wait cancelled by <paramref name="token"/>, the entry's fate in <paramref name="committed"/>.</summary>
    public AppendCancelledException(string message, Task<AuditReceipt?> committed, CancellationToken token)
        : base(message, token)
    {
        ArgumentNullException.ThrowIfNull(committed);
        Committed = committed;
    }

    /// <summary>The writer's answer: the receipt when the entry was committed; cancelled or faulted when it was not.</summary>
    public Task<AuditReceipt?> Committed { get; }
}
