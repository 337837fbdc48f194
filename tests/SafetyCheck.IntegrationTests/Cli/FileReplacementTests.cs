using System.Text;
using SafetyCheck.IntegrationTests.Infrastructure;
using SafetyCheck.Cli;

namespace SafetyCheck.IntegrationTests.Cli;

/// <summary>
/// How <c>fmt</c>, <c>terminology expand</c>, <c>report</c> and <c>test --junit</c> write their files: whole or not at
/// all, so that a write that fails (a full disk) never loses or truncates a file.
/// </summary>
public sealed class FileReplacementTests
{
    private static readonly byte[] First = Encoding.UTF8.GetBytes("{\"WorkflowName\":\"first\",\"Rules\":[]}");
    private static readonly byte[] Second = Encoding.UTF8.GetBytes("{\"WorkflowName\":\"second\",\"Rules\":[]}");

    [Fact]
    public async Task ReplaceAll_WriteFailsPartWay_LeavesEveryFileByteForByteAndNoTemporaryFile()
    {
        var directory = TestPaths.EmptyDirectory();
        var first = Path.Combine(directory, "first.json");
        var second = Path.Combine(directory, "second.json");
        await File.WriteAllBytesAsync(first, First);
        await File.WriteAllBytesAsync(second, Second);
        int written = 0;

        // The second file's write fails half way, as it does when the disk fills up: the first was written in full.
        var thrown = await Assert.ThrowsAsync<IOException>(() => FileReplacement.ReplaceAllAsync(
            [(first, "{\n  \"WorkflowName\": \"first\",\n  \"Rules\": []\n}\n"), (second, "{\n  \"WorkflowName\": \"second\",\n  \"Rules\": []\n}\n")],
            async (stream, content, token) =>
            {
                if (++written == 2)
                {
                    await stream.WriteAsync(content[..(content.Length / 2)], token);
                    throw new IOException("No space left on device");
                }

                await stream.WriteAsync(content, token);
            },
            CancellationToken.None));

        Assert.Equal("No space left on device", thrown.Message);
        Assert.Equal(First, await File.ReadAllBytesAsync(first));
        Assert.Equal(Second, await File.ReadAllBytesAsync(second));
        Assert.Equal(["first.json", "second.json"], Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReplaceAll_Cancelled_LeavesTheFileAndNoTemporaryFile()
    {
        var directory = TestPaths.EmptyDirectory();
        var first = Path.Combine(directory, "first.json");
        await File.WriteAllBytesAsync(first, First);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FileReplacement.ReplaceAsync(first, "{}\n", cancellation.Token));

        Assert.Equal(First, await File.ReadAllBytesAsync(first));
        Assert.Equal(["first.json"], Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ReplaceAll_TextThatIsNotUnicode_IsRefusedBeforeAnythingIsWritten()
    {
        var directory = TestPaths.EmptyDirectory();
        var first = Path.Combine(directory, "first.json");
        var second = Path.Combine(directory, "second.json");
        await File.WriteAllBytesAsync(first, First);
        await File.WriteAllBytesAsync(second, Second);

        await Assert.ThrowsAsync<EncoderFallbackException>(() => FileReplacement.ReplaceAllAsync(
            [(first, "{}\n"), (second, "{ \"summary\": \"\ud83d\" }\n")], CancellationToken.None));

        Assert.Equal(First, await File.ReadAllBytesAsync(first));
        Assert.Equal(Second, await File.ReadAllBytesAsync(second));
        Assert.Equal(2, Directory.EnumerateFileSystemEntries(directory).Count());
    }

    [Fact]
    public async Task Replace_ExistingFile_IsReplacedKeepingItsMode_AndANewFileIsCreated()
    {
        var directory = TestPaths.EmptyDirectory();
        var existing = Path.Combine(directory, "existing.json");
        var created = Path.Combine(directory, "terminology", "created.json");
        await File.WriteAllBytesAsync(existing, First);
        Directory.CreateDirectory(Path.GetDirectoryName(created)!);
        const UnixFileMode groupCanRead = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(existing, groupCanRead);
        }

        await FileReplacement.ReplaceAllAsync([(existing, "{\"é\": 1}\n"), (created, "{}\n")], CancellationToken.None);

        Assert.Equal("{\"é\": 1}\n"u8.ToArray(), await File.ReadAllBytesAsync(existing));
        Assert.Equal("{}\n"u8.ToArray(), await File.ReadAllBytesAsync(created));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(groupCanRead, File.GetUnixFileMode(existing));
        }

        Assert.Equal(["existing.json", "terminology"], Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["created.json"], Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(created)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Replace_SymbolicLink_ReplacesTheFileItPointsAt_AndTheLinkStays()
    {
        var directory = TestPaths.EmptyDirectory();
        var shared = Path.Combine(Path.GetDirectoryName(directory)!, "shared.json");
        var link = Path.Combine(directory, "linked.json");
        await File.WriteAllBytesAsync(shared, First);
        File.CreateSymbolicLink(link, shared);

        await FileReplacement.ReplaceAsync(link, "{}\n", CancellationToken.None);

        Assert.Equal(shared, new FileInfo(link).LinkTarget);
        Assert.Equal("{}\n"u8.ToArray(), await File.ReadAllBytesAsync(shared));
        Assert.Equal(["linked.json"], Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName));
    }
}
