using System.Diagnostics;
using System.Globalization;

namespace SafetyCheck.Cli;

/// <summary>
/// The progress of <c>impact</c> on stderr: on a terminal (<paramref name="bar"/>: not redirected, no <c>NO_COLOR</c>,
/// not <c>TERM=dumb</c>) a bar redrawn in place at most ten times a second and cleared at the end; otherwise a plain
/// line every <see cref="PlainInterval"/>, so logs of a long run show it moving and short runs print none.
/// </summary>
/// <param name="error">stderr.</param>
/// <param name="bar">Draw a bar rather than plain lines.</param>
/// <param name="total">Entries to replay.</param>
internal sealed class ImpactProgress(TextWriter error, bool bar, long total)
{
    /// <summary>How often a plain line is written.</summary>
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    private const int Width = 30;
    private static readonly TimeSpan BarInterval = TimeSpan.FromMilliseconds(100);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _last;
    private bool _drawn;

    /// <summary>Notes that <paramref name="done"/> entries are replayed.</summary>
    public void Report(long done)
    {
        var now = _clock.Elapsed;
        if (now - _last < (bar ? BarInterval : PlainInterval))
        {
            return;
        }

        _last = now;
        var rate = now.TotalSeconds > 0 ? done / now.TotalSeconds : 0;
        if (bar)
        {
            var filled = total == 0 ? Width : (int)(Width * done / total);
            error.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r[{new string('#', filled)}{new string('.', Width - filled)}] {Percent(done)} {done:N0}/{total:N0} decisions, {rate:N0}/s "));
            _drawn = true;
        }
        else
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replayed {done:N0} of {total:N0} decisions ({Percent(done)}, {rate:N0}/s)"));
        }
    }

    /// <summary>Clears the bar.</summary>
    public void Done()
    {
        if (_drawn)
        {
            error.Write("\r" + new string(' ', Width + 60) + "\r");
        }
    }

    private string Percent(long done) => total == 0 ? "100%" : string.Create(CultureInfo.InvariantCulture, $"{100 * done / total}%");
}
