namespace SafetyCheck.Audit.Tests.Support;

/// <summary>
/// Blocks a store's writes synchronously while frozen, as a frozen file system blocks SQLite inside its write, and
/// counts the writes blocked now. Shared by the in-memory store and the integration tests' failing store.
/// </summary>
internal sealed class WriteFreeze : IDisposable
{
    private readonly ManualResetEventSlim _thawed = new(initialState: true);
    private int _blocked;

    /// <summary>Writes blocked now.</summary>
    public int Blocked => Volatile.Read(ref _blocked);

    /// <summary>From now on every write blocks until <see cref="Thaw"/>.</summary>
    public void Freeze() => _thawed.Reset();

    public void Thaw() => _thawed.Set();

    /// <summary>Called at the start of each write: returns at once unless frozen.</summary>
    public void Block()
    {
        if (_thawed.IsSet)
        {
            return;
        }

        Interlocked.Increment(ref _blocked);
        try
        {
            _thawed.Wait();
        }
        finally
        {
            Interlocked.Decrement(ref _blocked);
        }
    }

    public void Dispose() => _thawed.Dispose();
}
