using System.Diagnostics.Metrics;

namespace SafetyCheck.IntegrationTests.Infrastructure;

/// <summary>Sums of the counters of one meter, by instrument and one tag.</summary>
internal sealed class MeterCounts : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, Dictionary<string, object?> Tags, long Value)> _measurements = [];

    public MeterCounts(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == meter)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (_measurements)
            {
                _measurements.Add((instrument.Name, tags.ToArray().ToDictionary(t => t.Key, t => t.Value), value));
            }
        });
        _listener.Start();
    }

    public long Of(string instrument, string tag, string value)
    {
        lock (_measurements)
        {
            return _measurements.Where(m => m.Instrument == instrument && Equals(m.Tags.GetValueOrDefault(tag), value)).Sum(m => m.Value);
        }
    }

    /// <summary>The sum of every measurement of <paramref name="instrument"/>, whatever its tags.</summary>
    public long Total(string instrument)
    {
        lock (_measurements)
        {
            return _measurements.Where(m => m.Instrument == instrument).Sum(m => m.Value);
        }
    }

    public void Dispose() => _listener.Dispose();
}
