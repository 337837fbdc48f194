using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.RuleSets;

/// <summary>
/// Reloads the rule set when its directory changes under <c>serve</c>: a <see cref="FileSystemWatcher"/> on the directory
/// and its subdirectories, and, as a fallback for lost or overflowing notifications, a poll that compares the files'
/// names, sizes and modification times with what was last seen. Changes are debounced
/// (<see cref="RuleReloadOptions.DebounceMilliseconds"/> of quiet) so that a save, or a checkout of many files, is one
/// reload; what changes while a reload runs starts another once it ends. Starts after the start-up load has ended;
/// does nothing when <see cref="RuleReloadOptions.Watch"/> is off or the host does not load rules at start. Its
/// timing is wall-clock time, whatever clock decisions use.
/// </summary>
internal sealed class RuleDirectoryWatcher(
    RuleReloader reloader,
    RuleSetProvider provider,
    RuleSetLoadingOptions loading,
    IOptions<RuleReloadOptions> options,
    ILogger<RuleDirectoryWatcher> log) : BackgroundService
{
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile string _seen = "";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Watch || !loading.LoadOnStart)
        {
            return;
        }

        while (provider.LastLoad is null)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), stoppingToken).ConfigureAwait(false);
        }

        _seen = Fingerprint(loading.Directory);
        using var watcher = StartWatcher(loading.Directory);
        RulesLog.Watching(log, loading.Directory, settings.DebounceMilliseconds, settings.PollSeconds);

        // What changed between the start-up load and the watch is seen by no event: look once (files that still hash
        // to the served revision change nothing and are not recorded).
        Changed();
        var polling = settings.PollSeconds > 0 ? PollAsync(TimeSpan.FromSeconds(settings.PollSeconds), stoppingToken) : Task.CompletedTask;
        try
        {
            while (await _changes.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                _changes.Reader.TryRead(out _);
                await QuietAsync(TimeSpan.FromMilliseconds(settings.DebounceMilliseconds), stoppingToken).ConfigureAwait(false);

                // Seen before the files are read: a change made while the reload runs is noticed again afterwards.
                _seen = Fingerprint(loading.Directory);
                try
                {
                    await reloader.ReloadAsync(ReloadTrigger.FileWatch, null, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    RulesLog.WatchReloadFailed(log, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }

        await polling.ConfigureAwait(false);
    }

    /// <summary>Notes a change; changes noted before the reader takes one are one change.</summary>
    private void Changed() => _changes.Writer.TryWrite(true);

    /// <summary>Returns once no change has been noted for <paramref name="quiet"/>.</summary>
    private async Task QuietAsync(TimeSpan quiet, CancellationToken stoppingToken)
    {
        while (true)
        {
            using var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            window.CancelAfter(quiet);
            try
            {
                await _changes.Reader.WaitToReadAsync(window.Token).ConfigureAwait(false);
                _changes.Reader.TryRead(out _);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task PollAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                // Files refused only because the audit trail could not take them are tried again at each poll, so
                // that they serve once the store is back without anyone touching them.
                if (!string.Equals(Fingerprint(loading.Directory), _seen, StringComparison.Ordinal) || reloader.Last is { RefusedForTheStore: true })
                {
                    Changed();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private FileSystemWatcher? StartWatcher(string directory)
    {
        try
        {
            var watcher = new FileSystemWatcher(directory)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            watcher.Changed += (_, _) => Changed();
            watcher.Created += (_, _) => Changed();
            watcher.Deleted += (_, _) => Changed();
            watcher.Renamed += (_, _) => Changed();
            watcher.Error += (_, e) =>
            {
                RulesLog.WatchFailed(log, directory, e.GetException().Message);
                Changed();
            };
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            // inotify watches exhausted, a directory that vanished, a platform without notifications: the poll remains.
            RulesLog.WatchFailed(log, directory, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// The names, sizes and modification times of every file under <paramref name="directory"/>, the symbolic links to
    /// folders in it (named with their targets, never descended into: the reload refuses them) and what stands in the
    /// way of reading it, hashed; empty when it cannot be read. The walk is <see cref="RuleDirectoryReader.List"/>'s,
    /// bounded as the reload's read is.
    /// </summary>
    internal static string Fingerprint(string directory)
    {
        try
        {
            var listing = RuleDirectoryReader.List(directory);
            var text = new StringBuilder();
            foreach (var file in listing.Files)
            {
                var info = (FileInfo)file.Info;
                text.Append(file.Path).Append('\0').Append(info.Length).Append('\0').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
            }

            foreach (var link in listing.FolderLinks)
            {
                text.Append(link.Path).Append("\0->\0").Append(link.Info.LinkTarget).Append('\n');
            }

            foreach (var problem in listing.Problems)
            {
                text.Append(problem).Append('\n');
            }

            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
