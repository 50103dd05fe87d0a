using BatchEngine.Data.Imports;

namespace BatchEngine.Jobs.Import;

/// <summary>
/// The checked rows of a file, parked on disk in buckets of returns (by order of first appearance), so that a return's
/// rows come back together wherever they stood in the file while memory holds one bucket at most.
/// </summary>
internal sealed class Spill : IDisposable
{
    public const int ReturnsPerBucket = 4_000;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "batchengine-import-" + Guid.NewGuid().ToString("N"));
    private readonly List<BinaryWriter?> _writers = [];

    public Spill() => Directory.CreateDirectory(_folder);

    public void Add(int returnIndex, ReturnRow row)
    {
        var bucket = returnIndex / ReturnsPerBucket;
        while (_writers.Count <= bucket)
        {
            _writers.Add(null);
        }

        var writer = _writers[bucket] ??= new BinaryWriter(new BufferedStream(File.Create(BucketPath(bucket)), 1 << 16));
        writer.Write(returnIndex);
        writer.Write(row.Product);
        writer.Write(row.Production);
        WriteOptional(writer, row.Sales);
        WriteOptional(writer, row.ExportQty);
        WriteOptional(writer, row.ExportValueUsd);
    }

    /// <summary>Each bucket's lines grouped by return index, one bucket in memory at a time.</summary>
    public IEnumerable<Dictionary<int, List<ImportLine>>> Buckets()
    {
        var written = _writers.Select(w => w is not null).ToList();
        foreach (var writer in _writers)
        {
            writer?.Dispose();
        }

        _writers.Clear();
        var products = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var bucket = 0; bucket < written.Count; bucket++)
        {
            var lines = new Dictionary<int, List<ImportLine>>();
            if (written[bucket])
            {
                using var reader = new BinaryReader(new BufferedStream(File.OpenRead(BucketPath(bucket)), 1 << 16));
                while (reader.BaseStream.Position < reader.BaseStream.Length)
                {
                    var index = reader.ReadInt32();
                    var product = reader.ReadString();
                    product = products.TryGetValue(product, out var shared) ? shared : products[product] = product;
                    var line = new ImportLine(product, reader.ReadDecimal(), ReadOptional(reader), ReadOptional(reader), ReadOptional(reader));
                    if (!lines.TryGetValue(index, out var list))
                    {
                        lines[index] = list = [];
                    }

                    list.Add(line);
                }
            }

            yield return lines;
        }
    }

    private string BucketPath(int bucket) => Path.Combine(_folder, bucket + ".bin");

    private static void WriteOptional(BinaryWriter writer, decimal? value)
    {
        writer.Write(value.HasValue);
        if (value.HasValue)
        {
            writer.Write(value.Value);
        }
    }

    private static decimal? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadDecimal() : null;

    public void Dispose()
    {
        foreach (var writer in _writers)
        {
            writer?.Dispose();
        }

        Directory.Delete(_folder, recursive: true);
    }
}
