using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Xunit.Abstractions;

namespace SafetyCheck.IntegrationTests.Hostile;

/// <summary>
/// The size, seed and tally of one fuzz run. CI runs <see cref="DefaultRequests"/> requests per fuzz test; set
/// <see cref="RequestsVariable"/> for a full run (100000 or more) and <see cref="SeedVariable"/> to replay one. Every
/// answer is counted by kind and status; a status not allowed for its kind is a failure (the first few are kept with
/// what was sent), and the managed heap after the run may not exceed the heap after the warm-up by more than
/// <see cref="MaxHeapGrowthBytes"/>.
/// </summary>
internal sealed class FuzzRun
{
    /// <summary>Environment variable: requests per fuzz test.</summary>
    public const string RequestsVariable = "SAFETYCHECK_FUZZ_REQUESTS";

    /// <summary>Environment variable: the seed of the generators.</summary>
    public const string SeedVariable = "SAFETYCHECK_FUZZ_SEED";

    public const int DefaultRequests = 2000;

    public const int DefaultSeed = 20261126;

    /// <summary>Managed heap growth allowed over a run, in bytes: what a leak of a few hundred bytes per request would pass.</summary>
    public const long MaxHeapGrowthBytes = 64L * 1024 * 1024;

    private const int FailuresKept = 10;

    private readonly ITestOutputHelper _output;
    private readonly string _name;
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly List<string> _failures = [];
    private readonly List<string> _notes = [];
    private readonly Stopwatch _clock = new();
    private readonly Lock _gate = new();
    private long _heapAfterWarmUp;
    private long _workingSetAfterWarmUp;
    private int _failureCount;

    public FuzzRun(ITestOutputHelper output, string name)
    {
        _output = output;
        _name = name;
        Random = new Random(Seed);
    }

    public static int Requests => ReadPositive(RequestsVariable) ?? DefaultRequests;

    public static int Seed => ReadPositive(SeedVariable) ?? DefaultSeed;

    /// <summary>The run's generator: draw per-request seeds from it, in order, so a run replays from its seed.</summary>
    public Random Random { get; }

    public int Total => _counts.Values.Sum();

    /// <summary>The "kind status" keys counted so far.</summary>
    public IReadOnlyCollection<string> Keys => _counts.Keys;

    /// <summary>Counts one answer; when <paramref name="allowed"/> is false it is a failure, kept with <paramref name="sent"/>.</summary>
    public void Record(string kind, StatusCode status, bool allowed, string sent = "")
    {
        lock (_gate)
        {
            var key = $"{kind} {status}";
            _counts[key] = _counts.GetValueOrDefault(key) + 1;
            if (!allowed)
            {
                _failureCount++;
                if (_failures.Count < FailuresKept)
                {
                    _failures.Add($"{kind}: {status} for {sent}");
                }
            }
        }
    }

    /// <summary>Counts a known defect that is not this run's to fix (reported, not failed).</summary>
    public void Known(string kind, StatusCode status, string note)
    {
        lock (_gate)
        {
            var key = $"{kind} {status} (known: {note})";
            _counts[key] = _counts.GetValueOrDefault(key) + 1;
            if (!_notes.Contains(note))
            {
                _notes.Add(note);
            }
        }
    }

    /// <summary>
    /// Runs <see cref="Requests"/> calls of <paramref name="one"/>, <paramref name="concurrency"/> at a time, each with
    /// its own generator seeded from <see cref="Random"/>; the first tenth (at most 200) warms up, and memory and time
    /// are measured from the end of it.
    /// </summary>
    public async Task RunAsync(Func<Random, Task> one, int concurrency = 8)
    {
        ArgumentNullException.ThrowIfNull(one);
        var total = Requests;
        var warmUp = Math.Min(200, total / 10);
        await RunBatchesAsync(warmUp, one, concurrency);
        WarmedUp();
        await RunBatchesAsync(total - warmUp, one, concurrency);
    }

    /// <summary>Marks the end of the warm-up: memory is measured from here, and so is time.</summary>
    public void WarmedUp()
    {
        _heapAfterWarmUp = SettledHeap();
        _workingSetAfterWarmUp = Environment.WorkingSet;
        _clock.Restart();
    }

    /// <summary>Writes the counts, time and memory to the test output and fails on any failure or on unbounded memory.</summary>
    public void Finish()
    {
        var elapsed = _clock.Elapsed;
        var heap = SettledHeap();
        var workingSet = Environment.WorkingSet;
        _output.WriteLine($"{_name}: {Total} requests (seed {Seed}) in {elapsed.TotalSeconds:0.0} s, {Total / Math.Max(elapsed.TotalSeconds, 0.001):0} per second");
        foreach (var (key, count) in _counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            _output.WriteLine($"  {key}: {count}");
        }

        _output.WriteLine($"  managed heap {Mib(_heapAfterWarmUp)} -> {Mib(heap)} MiB; working set {Mib(_workingSetAfterWarmUp)} -> {Mib(workingSet)} MiB");
        foreach (var note in _notes)
        {
            _output.WriteLine($"  known, not fixed here: {note}");
        }

        Assert.True(_failureCount == 0, $"{_failureCount} answers not allowed for their kind; the first:\n" + string.Join("\n", _failures));
        Assert.True(heap - _heapAfterWarmUp < MaxHeapGrowthBytes, $"the managed heap grew by {Mib(heap - _heapAfterWarmUp)} MiB over the run");
    }

    /// <summary>The status a call ended with: OK, or the RpcException's.</summary>
    public static async Task<StatusCode> StatusOfAsync(Func<Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    /// <summary>Short, printable text of what was sent, for a failure message.</summary>
    public static string Describe(ReadOnlySpan<byte> bytes) =>
        bytes.Length <= 96 ? Convert.ToHexString(bytes) : $"{Convert.ToHexString(bytes[..96])}... ({bytes.Length} bytes)";

    private async Task RunBatchesAsync(int count, Func<Random, Task> one, int concurrency)
    {
        for (var done = 0; done < count; done += concurrency)
        {
            var seeds = Enumerable.Range(0, Math.Min(concurrency, count - done)).Select(_ => Random.Next()).ToArray();
            await Task.WhenAll(seeds.Select(seed => one(new Random(seed))));
        }
    }

    private static long SettledHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture);

    private static int? ReadPositive(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
}
