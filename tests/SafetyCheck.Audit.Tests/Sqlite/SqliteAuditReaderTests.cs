using SafetyCheck.Audit.Sqlite;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Core.Domain;
using SafetyCheck.Core.Rules;
using static SafetyCheck.Audit.Tests.Support.AuditTestSupport;

namespace SafetyCheck.Audit.Tests.Sqlite;

public class SqliteAuditReaderTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Constructor_NoDatabase_IsUnavailable()
    {
        using var dir = new TempAuditDirectory();

        Assert.Throws<AuditStoreUnavailableException>(() => new SqliteAuditReader(dir.DatabasePath));
        Assert.False(File.Exists(dir.DatabasePath));
    }

    [Fact]
    public async Task Reads_OfADamagedFile_AreUnavailable_NotErrorsOfSqlite()
    {
        using var dir = new TempAuditDirectory();
        await using (var store = await OpenAsync(dir.DatabasePath))
        {
            for (var i = 0; i < 20; i++)
            {
                await store.AppendAsync(Draft(DefaultRules, Request("R50.9"), recordedAt: Monday.AddMinutes(i)));
            }
        }

        // Every page but the first (the header and the schema) overwritten: the file opens, its tables cannot be read.
        var bytes = await File.ReadAllBytesAsync(dir.DatabasePath);
        Array.Fill(bytes, (byte)0xA5, 4096, bytes.Length - 4096);
        await File.WriteAllBytesAsync(dir.DatabasePath, bytes);
        var reader = new SqliteAuditReader(dir.DatabasePath);

        await AssertUnavailable(() => reader.HeadAsync());
        await AssertUnavailable(() => reader.GetAsync("01890000-0000-7000-8000-000000000000"));
        await AssertUnavailable(() => reader.ListAsync(new EntryFilter { Verdict = Suitability.NotSuitable }));
        await AssertUnavailable(() => reader.ListRevisionUsesAsync());
        await AssertUnavailable(() => reader.CountVerdictsPerDayAsync(Monday, Monday.AddDays(1)));
        await AssertUnavailable(() => reader.CountRuleFiringsAsync(Monday, Monday.AddDays(1)));
        await AssertUnavailable(() => reader.GetRevisionAsync(DefaultRules.Identity.Revision));
        await AssertUnavailable(async () => await reader.ReadRangeAsync(1, 20).ToListAsync());
        await AssertUnavailable(async () => await reader.ReadDecisionSummariesAsync("", 0, 20).ToListAsync());

        static async Task AssertUnavailable<T>(Func<Task<T>> read)
        {
            var ex = await Assert.ThrowsAsync<AuditStoreUnavailableException>(read);
            Assert.Contains("cannot be read", ex.Message, StringComparison.Ordinal);
            Assert.IsType<Microsoft.Data.Sqlite.SqliteException>(ex.InnerException);
        }
    }

    [Fact]
    public async Task Reader_ReadsWhileTheStoreHoldsTheLock()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        var draft = Draft("R50.9");
        var receipt = await store.AppendAsync(draft);

        var reader = new SqliteAuditReader(dir.DatabasePath);

        Assert.Equal(receipt.EntryHash, (await reader.GetAsync(draft.DecisionId))!.EntryHash);
        Assert.Equal(new AuditHead(1, receipt.EntryHash), await reader.HeadAsync());
        Assert.NotNull(await reader.GetRevisionAsync(DefaultRules.Identity.Revision));
    }

    [Fact]
    public async Task List_FiltersByVerdictRuleRevisionAndTime()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        await store.AppendAsync(Draft(DefaultRules, Request(), recordedAt: Monday));
        await store.AppendAsync(Draft(DefaultRules, Request("R50.9"), recordedAt: Monday.AddHours(1)));
        await store.AppendAsync(Draft(DefaultRules, Request("L20.9"), recordedAt: Monday.AddHours(2)));
        await store.AppendAsync(Draft(DefaultRules, Request("R50.9", "L20.9"), recordedAt: Monday.AddHours(3)));

        Assert.Equal(new long[] { 2, 4 }, await Sequences(store, new EntryFilter { Verdict = Suitability.NotSuitable }));
        Assert.Equal(new long[] { 3, 4 }, await Sequences(store, new EntryFilter { RuleId = "eczema" }));
        Assert.Equal(new long[] { 2, 3 }, await Sequences(store, new EntryFilter { From = Monday.AddHours(1), To = Monday.AddHours(3) }));
        Assert.Equal(new long[] { 4 }, await Sequences(store, new EntryFilter { RuleId = "fever", From = Monday.AddHours(2) }));
        Assert.Equal(new long[] { 1, 2, 3, 4 }, await Sequences(store, new EntryFilter { Revision = DefaultRules.Identity.Revision }));
        Assert.Empty(await Sequences(store, new EntryFilter { Revision = new string('0', 64) }));
        Assert.Empty(await Sequences(store, new EntryFilter { RuleId = "fev" }));
    }

    [Fact]
    public async Task List_ByChain_OneChainStoreNamesNone_SoANamedChainMatchesNothing()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        await store.AppendAsync(Draft(DefaultRules, Request(), recordedAt: Monday));

        Assert.Equal(new long[] { 1 }, await Sequences(store, new EntryFilter { Chain = null, NewestFirst = true }));
        Assert.Empty(await Sequences(store, new EntryFilter { Chain = "node-a" }));
        Assert.Empty(await Sequences(store, new EntryFilter { Chain = "", NewestFirst = true }));
    }

    [Fact]
    public async Task ListArchivedRevisions_FirstUsedFirst_UnusedLast_AgreesWithTheCountedList()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        var unused = new ArchivedRevision(new RulesetIdentity("unused", "0.0.1", new string('0', 64)), []);
        await store.Storage.ArchiveRevisionAsync(unused);
        await store.AppendAsync(Draft(DefaultRules, Request(), recordedAt: Monday));
        var reader = new SqliteAuditReader(dir.DatabasePath);

        var listed = await reader.ListArchivedRevisionsAsync();
        var counted = await reader.ListRevisionUsesAsync();

        Assert.Equal([DefaultRules.Identity, unused.Identity], listed);
        Assert.Equal(counted.Select(r => r.Identity), listed);
        Assert.Equal(listed, await store.Storage.ListArchivedRevisionsAsync());
    }

    [Fact]
    public async Task List_PagesWithOpaqueTokens()
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);
        for (var i = 0; i < 7; i++)
        {
            await store.AppendAsync(Draft());
        }

        var seen = new List<long>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await store.ListAsync(new EntryFilter { PageSize = 3, PageToken = token });
            seen.AddRange(page.Items.Select(i => i.Sequence));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L, 7L], seen);
        Assert.Equal(3, pages);
        Assert.Null((await store.ListAsync(new EntryFilter { PageSize = 7 })).NextPageToken);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(1001, null)]
    [InlineData(10, "garbage")]
    [InlineData(10, "YWZ0ZXI6LTE=")]
    public async Task List_BadPageSizeOrToken_IsAnArgumentError(int pageSize, string? token)
    {
        using var dir = new TempAuditDirectory();
        await using var store = await OpenAsync(dir.DatabasePath);

        await Assert.ThrowsAsync<ArgumentException>(() => store.ListAsync(new EntryFilter { PageSize = pageSize, PageToken = token }));
    }

    private static async Task<long[]> Sequences(TestTrail reader, EntryFilter filter) =>
        [.. (await reader.ListAsync(filter)).Items.Select(i => i.Sequence)];
}
