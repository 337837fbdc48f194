using SafetyCheck.Security;

namespace SafetyCheck.IntegrationTests.Security;

public sealed class DevelopmentKeyTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "safetycheck-tests", Path.GetRandomFileName(), ".safetycheck");

    [Fact]
    public void LoadOrCreate_NoFile_WritesARandomKeyReadableByTheOwnerOnly()
    {
        var (key, file, created) = DevelopmentKey.LoadOrCreate(_directory);

        Assert.True(created);
        Assert.Equal(Path.Combine(_directory, "dev-key"), file);
        Assert.Matches("^scdev_[A-Za-z0-9_-]{43}$", key);
        Assert.Equal(key, File.ReadAllText(file).Trim());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        }

        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public void LoadOrCreate_ExistingKey_IsReusedAndItsModeTightened()
    {
        var first = DevelopmentKey.LoadOrCreate(_directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(first.File, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        }

        var second = DevelopmentKey.LoadOrCreate(_directory);

        Assert.False(second.Created);
        Assert.Equal(first.Key, second.Key);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(second.File));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("has spaces in it and is long enough to pass the length")]
    public void LoadOrCreate_FileThatHoldsNoKey_IsReplaced(string content)
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "dev-key"), content);

        var (key, file, created) = DevelopmentKey.LoadOrCreate(_directory);

        Assert.True(created);
        Assert.Equal(key, File.ReadAllText(file).Trim());
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public void LoadOrCreate_TwoDirectories_DifferentKeys()
    {
        var other = _directory + "-other";
        try
        {
            Assert.NotEqual(DevelopmentKey.LoadOrCreate(_directory).Key, DevelopmentKey.LoadOrCreate(other).Key);
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
