using System.Diagnostics.Metrics;
using SafetyCheck.Telemetry;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>Meters of their own for a test (disposed with the factory), and <see cref="SafetyCheckMetrics"/> over them.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    /// <summary>Instruments on a meter of a new factory, which nobody else records on.</summary>
    public static SafetyCheckMetrics Metrics() => new(new TestMeterFactory());

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, this);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}
