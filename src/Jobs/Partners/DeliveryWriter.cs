using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Partners;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Import;

namespace BatchEngine.Jobs.Partners;

/// <summary>
/// Writes a delivery's data file (CSV, JSON lines or SDMX-CSV 2.0) and its manifest into the archive, each under a
/// temporary name first. The archived bytes are what every attempt and every re-send transfers.
/// </summary>
public static class DeliveryWriter
{
    /// <summary>The figures a partner may receive, by our field name.</summary>
    public static readonly IReadOnlyList<string> Figures = ["production", "sales", "export_qty", "export_value_usd", "employees"];

    private static readonly IReadOnlyList<string> DefaultFigures = ["production", "sales", "export_qty", "export_value_usd"];

    private static readonly UTF8Encoding Utf8 = new(false);

    public static string DataFileName(PartnerOptions partner, int sequence) =>
        $"{partner.Name}-{sequence:D6}.{partner.Format switch { DeliveryFormat.JsonLines => "jsonl", DeliveryFormat.SdmxCsv => "sdmx.csv", _ => "csv" }}";

    public static string ManifestFileName(PartnerOptions partner, int sequence) => $"{partner.Name}-{sequence:D6}.manifest.json";

    /// <summary>
    /// Writes the lines as they come (from a database reader), so memory stays flat whatever their number; the data
    /// file's SHA-256 is read back from the disk, which is what every attempt sends.
    /// </summary>
    public static async Task<DeliveryFiles> WriteAsync(PartnerOptions partner, int sequence, IAsyncEnumerable<RegisteredLine> lines, string archive, DateTime now)
    {
        Directory.CreateDirectory(archive);
        var figures = partner.Fields.Count == 0 ? DefaultFigures : partner.Fields.Where(Figures.Contains).ToList();
        var (header, row) = partner.Format switch
        {
            DeliveryFormat.JsonLines => JsonLines(figures),
            DeliveryFormat.SdmxCsv => SdmxCsv(partner.Sdmx, figures),
            _ => Csv(figures),
        };
        var dataName = DataFileName(partner, sequence);
        var dataPath = Path.Combine(archive, dataName);
        int count = 0, replacements = 0;
        JalaliPeriod? periodFrom = null, periodTo = null;
        await using (var writer = new StreamWriter(dataPath + ".tmp", append: false, Utf8, bufferSize: 1 << 16) { NewLine = "\n" })
        {
            if (header is not null)
            {
                await writer.WriteLineAsync(header);
            }

            await foreach (var line in lines)
            {
                await writer.WriteLineAsync(row(line));
                count++;
                replacements += line.Replaces ? 1 : 0;
                periodFrom = periodFrom is null || line.Period < periodFrom ? line.Period : periodFrom;
                periodTo = periodTo is null || line.Period > periodTo ? line.Period : periodTo;
            }
        }

        return await SealAsync(partner, sequence, archive, dataName, partner.Format.ToString(), count, replacements, periodFrom!.Value, periodTo!.Value, now);
    }

    /// <summary>
    /// Writes a published statistics table (<paramref name="sdmx"/>, SDMX-CSV with <paramref name="rows"/> observations)
    /// as the partner's delivery <paramref name="sequence"/>, with its manifest, the same way as registered figures.
    /// </summary>
    public static async Task<DeliveryFiles> WriteTableAsync(PartnerOptions partner, int sequence, string sdmx, int rows, JalaliPeriod period, bool replaces,
        string archive, DateTime now)
    {
        Directory.CreateDirectory(archive);
        var dataName = $"{partner.Name}-{sequence:D6}.statistics.sdmx.csv";
        await File.WriteAllTextAsync(Path.Combine(archive, dataName) + ".tmp", sdmx, Utf8);
        return await SealAsync(partner, sequence, archive, dataName, "StatisticsSdmxCsv", rows, replaces ? rows : 0, period, period, now);
    }

    /// <summary>Hashes the data file written under its temporary name, gives it its name, and writes the manifest beside it.</summary>
    private static async Task<DeliveryFiles> SealAsync(PartnerOptions partner, int sequence, string archive, string dataName, string format, int count,
        int replacements, JalaliPeriod periodFrom, JalaliPeriod periodTo, DateTime now)
    {
        var dataPath = Path.Combine(archive, dataName);
        string sha;
        await using (var written = File.OpenRead(dataPath + ".tmp"))
        {
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(written));
        }

        File.Move(dataPath + ".tmp", dataPath, overwrite: true);
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            partner = partner.Name,
            title = partner.Title,
            sequence,
            createdAt = now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            format,
            dataFile = dataName,
            rowCount = count,
            replacementRows = replacements,
            sha256 = sha,
            periodFrom = periodFrom.ToString(),
            periodTo = periodTo.ToString(),
        }, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var manifestName = ManifestFileName(partner, sequence);
        var manifestPath = Path.Combine(archive, manifestName);
        await File.WriteAllBytesAsync(manifestPath + ".tmp", manifest);
        File.Move(manifestPath + ".tmp", manifestPath, overwrite: true);
        return new DeliveryFiles(dataName, manifestName, sha, count, periodFrom, periodTo);
    }

    private static readonly string[] Identifiers =
        ["action", "period", "period_start", "period_end", "province", "licence_no", "unit_name", "isic", "product_code", "product_name", "unit_of_measure"];

    private static (string? Header, Func<RegisteredLine, string> Row) Csv(IReadOnlyList<string> figures) =>
        (string.Join(',', Identifiers.Concat(figures).Append("registered_at")), line =>
        {
            var (start, end) = GregorianDays(line.Period);
            return string.Join(',', new[]
                {
                    line.Replaces ? "replace" : "new", line.Period.ToString(), start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), line.ProvinceCode, line.LicenceNo, line.UnitName, line.Isic,
                    line.ProductCode, line.ProductName, line.UnitOfMeasure,
                }
                .Concat(figures.Select(f => Figure(line, f)))
                .Append(Instant(line.RegisteredAt))
                .Select(CsvFields.Quote));
        });

    private static (string? Header, Func<RegisteredLine, string> Row) JsonLines(IReadOnlyList<string> figures)
    {
        var options = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return (null, line =>
        {
            var (start, end) = GregorianDays(line.Period);
            var row = new Dictionary<string, object?>
            {
                ["action"] = line.Replaces ? "replace" : "new", ["period"] = line.Period.ToString(),
                ["period_start"] = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["period_end"] = end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["province"] = line.ProvinceCode, ["licence_no"] = line.LicenceNo, ["unit_name"] = line.UnitName, ["isic"] = line.Isic,
                ["product_code"] = line.ProductCode, ["product_name"] = line.ProductName, ["unit_of_measure"] = line.UnitOfMeasure,
            };
            foreach (var figure in figures)
            {
                row[figure] = Value(line, figure) is { } value ? decimal.Parse(Number(value), CultureInfo.InvariantCulture) : null;
            }

            row["registered_at"] = Instant(line.RegisteredAt);
            return JsonSerializer.Serialize(row, options);
        });
    }

    /// <summary>
    /// SDMX-CSV 2.0: <c>STRUCTURE,STRUCTURE_ID,ACTION</c>, the mapped dimensions, <c>TIME_PERIOD</c>, the mapped measures.
    /// ACTION is <c>A</c> (append) for new figures and <c>R</c> (replace) for a corrected return's figures.
    /// </summary>
    private static (string? Header, Func<RegisteredLine, string> Row) SdmxCsv(SdmxOptions sdmx, IReadOnlyList<string> figures)
    {
        var dimensions = sdmx.Dimensions.Count == 0 ? SdmxOptions.DefaultDimensions : sdmx.Dimensions;
        var measures = (sdmx.Measures.Count == 0 ? SdmxOptions.DefaultMeasures : sdmx.Measures).Where(m => figures.Contains(m.Value)).ToList();
        var header = string.Join(',', new[] { "STRUCTURE", "STRUCTURE_ID", "ACTION" }.Concat(dimensions.Keys).Append("TIME_PERIOD").Concat(measures.Select(m => m.Key)));
        return (header, line =>
        {
            var (start, end) = GregorianDays(line.Period);
            var time = sdmx.PeriodFormat == "Code"
                ? line.Period.ToString()
                : $"{start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/P{end.DayNumber - start.DayNumber + 1}D";
            return string.Join(',', new[] { sdmx.Structure, sdmx.StructureId, line.Replaces ? "R" : "A" }
                .Concat(dimensions.Values.Select(field => Identifier(line, field)))
                .Append(time)
                .Concat(measures.Select(m => Figure(line, m.Value)))
                .Select(CsvFields.Quote));
        });
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<JalaliPeriod, (DateOnly Start, DateOnly End)> PeriodDays = new();

    // A delivery repeats a few dozen periods over hundreds of thousands of lines: each converted once.
    internal static (DateOnly Start, DateOnly End) GregorianDays(JalaliPeriod period) =>
        PeriodDays.GetOrAdd(period, p => (p.FirstDay.ToGregorian(), p.LastDay.ToGregorian()));

    private static string Identifier(RegisteredLine line, string field) => field switch
    {
        "province" => line.ProvinceCode,
        "isic" => line.Isic,
        "licence_no" => line.LicenceNo,
        "product_code" => line.ProductCode,
        "unit_of_measure" => line.UnitOfMeasure,
        "unit_name" => line.UnitName,
        _ => throw new InvalidOperationException($"'{field}' is not a field an SDMX dimension can map to."),
    };

    private static decimal? Value(RegisteredLine line, string figure) => figure switch
    {
        "production" => line.Production,
        "sales" => line.Sales,
        "export_qty" => line.ExportQty,
        "export_value_usd" => line.ExportValueUsd,
        _ => line.Employees,
    };

    private static string Figure(RegisteredLine line, string figure) => Value(line, figure) is { } value ? Number(value) : "";

    // The same figure reads the same from either store (SQLite keeps 1200, PostgreSQL 1200.0000).
    private static string Number(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Instant(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
