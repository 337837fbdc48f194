using System.IO.Compression;
using SafetyCheck.Audit.Tests.Support;

namespace SafetyCheck.Audit.Tests.Compatibility;

/// <summary>A private copy of the layout 1 database written before schema v2 (see Fixtures/README.md).</summary>
internal sealed class V1Fixture : IDisposable
{
    public const int Decisions = 26;

    public const string Revision = "f9c5f05c8cc078e7a48e6d91ceb0394c1b4180c53c23f8651d7782f69e55f155";

    public const string HeadHash = "49547434a84b2a80854759afdaeafbc3e797134cd36ac92c6f625241a6169e3d";

    private readonly TempAuditDirectory _directory = new();

    public V1Fixture()
    {
        using var compressed = File.OpenRead(FixturePath("audit-v1.db.gz"));
        using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
        using var database = File.Create(DatabasePath);
        gzip.CopyTo(database);
    }

    public string DatabasePath => _directory.DatabasePath;

    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Compatibility", "Fixtures", name);

    /// <summary>The JSON Lines export written by the old code, decompressed.</summary>
    public static string JsonLines()
    {
        using var compressed = File.OpenRead(FixturePath("audit-v1.jsonl.gz"));
        using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }

    public void Dispose() => _directory.Dispose();
}
