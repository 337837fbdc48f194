using System.Globalization;
using System.Text;
using SafetyCheck.Audit.Chain;
using SafetyCheck.Audit.Json;
using SafetyCheck.Audit.PostgreSql.Tests.Support;
using SafetyCheck.Audit.Storage;
using SafetyCheck.Audit.Summaries;
using SafetyCheck.Audit.Tests.Support;
using SafetyCheck.Core.Rules;

namespace SafetyCheck.Audit.PostgreSql.Tests;

/// <summary>
/// The kept summaries over a PostgreSQL store that two instances append to: one watermark per chain, and every answer
/// equal to the store's own queries, with appends on both chains between calls.
/// </summary>
public sealed class PostgresSummaryCacheTests
{
    private static readonly DateOnly FirstDay = new(2026, 3, 1);
    private static readonly string[] Verdicts = ["SUITABLE", "SUITABLE_WITH_PRECAUTIONS", "NOT_SUITABLE"];
    private static readonly string[] RuleLists = ["[]", """["fever"]""", """["eczema","school-age-note"]""", """["fever","eczema"]"""];

    [PostgresFact]
    public async Task Answers_TwoChainsWithAppendsBetweenCalls_EqualTheStoresOwn()
    {
        await using var db = await TestPostgres.CreateAsync();
        await using var a = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = "node-a" });
        await using var b = await PostgresAuditStorage.OpenAsync(db.Service, new PostgresAuditStorageOptions { InstanceId = "node-b" });
        var writerA = await AuditChainWriter.StartAsync(a);
        var writerB = await AuditChainWriter.StartAsync(b);
        ArchivedRevision[] revisions = [Revision("1.0.0"), Revision("1.1.0"), Revision("2.0.0")];
        await writerA.ArchiveRevisionAsync(revisions[0]);
        await writerA.ArchiveRevisionAsync(revisions[1]);
        await writerB.ArchiveRevisionAsync(revisions[2]);
        await using var reader = await PostgresAuditReader.OpenAsync(db.Auditor);
        using var cache = new SummaryCache(reader);
        var random = new Random(5);
        var decisions = 0;

        try
        {
            for (var round = 0; round < 4; round++)
            {
                for (var i = 0; i < 30; i++)
                {
                    var writer = random.Next(2) == 0 ? writerA : writerB;
                    var day = new DateTimeOffset(FirstDay.AddDays(random.Next(5)).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                    var at = random.Next(6) == 0 ? day : day.AddSeconds(random.Next(86_400));
                    var revision = revisions[random.Next(2)].Identity.Revision;
                    if (random.Next(8) == 0)
                    {
                        await writer.AppendAsync(new NoteEntry($"note-{round}-{i}", at, "a note", revision));
                        continue;
                    }

                    await writer.AppendAsync(new TestDecision($"decision-{round}-{i}", at, Verdicts[random.Next(Verdicts.Length)], revision, RuleLists[random.Next(RuleLists.Length)]));
                    decisions++;
                }

                await AssertSameAsync(cache, reader);
            }
        }
        finally
        {
            await writerA.DisposeAsync();
            await writerB.DisposeAsync();
        }

        Assert.Equal(decisions, cache.Decisions);
        Assert.Equal(["node-a", "node-b"], (await reader.ReadChainHeadsAsync()).Keys.Order(StringComparer.Ordinal));
    }

    private static async Task AssertSameAsync(SummaryCache cache, PostgresAuditReader store)
    {
        Assert.Equal(await store.ListRevisionUsesAsync(), await cache.ListRevisionUsesAsync());
        for (var start = -1; start <= 5; start++)
        {
            for (var end = start; end <= 6; end++)
            {
                var from = new DateTimeOffset(FirstDay.AddDays(start).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                var to = new DateTimeOffset(FirstDay.AddDays(end).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                Assert.Equal(await store.CountVerdictsPerDayAsync(from, to), await cache.CountVerdictsPerDayAsync(from, to));
                var expected = await store.CountRuleFiringsAsync(from, to);
                var actual = await cache.CountRuleFiringsAsync(from, to);
                Assert.Equal(expected.Counts, actual.Counts);
                Assert.Equal(expected.DecisionsPerRevision.OrderBy(d => d.Key, StringComparer.Ordinal), actual.DecisionsPerRevision.OrderBy(d => d.Key, StringComparer.Ordinal));
            }
        }
    }

    private static ArchivedRevision Revision(string version)
    {
        RuleSetFile[] files =
        [
            new("rules.json", Encoding.UTF8.GetBytes("""[{"RuleName": "r", "Expression": "true"}]""")),
            new(ManifestLoader.FileName, Encoding.UTF8.GetBytes($$"""{"name": "test-rules", "version": "{{version}}"}""")),
        ];
        return new ArchivedRevision(new RulesetIdentity("test-rules", version, RevisionHasher.Compute(files)), [.. files.OrderBy(f => f.Path, StringComparer.Ordinal)]);
    }

    /// <summary>A decision's index columns over a small record of its own: what the summaries count, without a rule set.</summary>
    private sealed record TestDecision(string EntryId, DateTimeOffset RecordedAt, string Verdict, string Revision, string RuleIds) : IAuditEntry
    {
        public string Kind => EntryKinds.Decision;

        string? IAuditEntry.Revision => Revision;

        string? IAuditEntry.Verdict => Verdict;

        string? IAuditEntry.RuleIds => RuleIds;

        public void WriteRecord(CanonicalJsonWriter writer, long sequence, string prevHash)
        {
            writer.WriteStartObject();
            writer.WriteString("decision_id", EntryId);
            writer.WriteString("note", string.Create(CultureInfo.InvariantCulture, $"rules {RuleIds}"));
            writer.WriteString("prev_hash", prevHash);
            writer.WritePropertyName("recorded_at");
            writer.WriteTimeValue(RecordedAt);
            writer.WriteString("revision", Revision);
            writer.WriteString("schema", EntryEnvelope.Schema(EntryKinds.Decision, 1));
            writer.WriteNumber("sequence", sequence);
            writer.WriteString("verdict", Verdict);
            writer.WriteEndObject();
        }
    }
}
