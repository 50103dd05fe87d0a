using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using BatchEngine.Jobs.Calendar;

namespace BatchEngine.Jobs.Import;

/// <summary>The whole file is refused, for the one reason the message gives; nothing was changed.</summary>
public sealed class ImportRefusedException(string message) : Exception(message);

/// <summary>A file checked before import: its SHA-256, its size and the text encoding it is valid in.</summary>
public sealed record ScannedFile(string Path, string Sha256, long Bytes, Encoding Encoding)
{
    public string EncodingName => Encoding.CodePage switch
    {
        1256 => "Windows-1256",
        1200 => "UTF-16 LE",
        1201 => "UTF-16 BE",
        _ => "UTF-8",
    };
}

/// <summary>A data row of a CSV file: where it starts in the file, and its fields.</summary>
public readonly record struct CsvRow(int Line, string[] Fields, bool BadQuoting);

/// <summary>
/// Reads a CSV file the way offices write them: detects the encoding (UTF-8 with or without BOM, UTF-16 with BOM,
/// Windows-1256) and the delimiter (comma, semicolon or tab, from the header), then streams the rows (RFC 4180 quoting).
/// </summary>
public static class CsvFile
{
    private static readonly Encoding Utf8Strict = new UTF8Encoding(false, true);
    private static readonly Encoding Utf16LeStrict = new UnicodeEncoding(false, true, true);
    private static readonly Encoding Utf16BeStrict = new UnicodeEncoding(true, true, true);

    static CsvFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static Encoding Windows1256 => Encoding.GetEncoding(1256, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);

    /// <summary>Reads the file once: its hash, and whether its bytes are text in the encoding it declares or implies.</summary>
    public static async Task<ScannedFile> ScanAsync(string path, long maxBytes, CancellationToken cancellationToken = default)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ImportRefusedException($"There is no file {path}.");
        }

        if (info.Length > maxBytes)
        {
            throw new ImportRefusedException(
                $"The file is {info.Length:N0} bytes, over the limit of {maxBytes:N0} bytes (Import:MaxFileBytes); split it by period or by unit.");
        }

        if (info.Length == 0)
        {
            throw new ImportRefusedException("The file is empty; expected a header row and one row per unit, period and product.");
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var head = new byte[3];
        var headLength = await stream.ReadAtLeastAsync(head, 3, throwOnEndOfStream: false, cancellationToken);
        stream.Position = 0;
        var (declared, name) = head.AsSpan(0, headLength) switch
        {
            [0xEF, 0xBB, 0xBF, ..] => (Utf8Strict, "UTF-8 byte order mark"),
            [0xFF, 0xFE, ..] => (Utf16LeStrict, "UTF-16 byte order mark"),
            [0xFE, 0xFF, ..] => (Utf16BeStrict, "UTF-16 byte order mark"),
            _ => ((Encoding?)null, ""),
        };

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var decoder = (declared ?? Utf8Strict).GetDecoder();
        var buffer = new byte[1 << 20];
        var validUtf8 = true;
        long offset = 0;
        var line = 1;
        int? nulLine = null;
        int? controlLine = null;
        int? badLine = null;
        long badOffset = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var chunk = buffer.AsSpan(0, read);
            hash.AppendData(chunk);
            if (badLine is null && (declared is not null || validUtf8))
            {
                try
                {
                    decoder.GetCharCount(chunk, flush: false);
                }
                catch (DecoderFallbackException e)
                {
                    var at = Math.Clamp(e.Index, 0, read);
                    badLine = line + chunk[..at].Count((byte)'\n');
                    badOffset = offset + at;
                    validUtf8 = false;
                }
            }

            if (declared is null)
            {
                for (var i = 0; i < chunk.Length && controlLine is null; i++)
                {
                    var b = chunk[i];
                    if (b < 0x20 && b is not ((byte)'\n' or (byte)'\r' or (byte)'\t'))
                    {
                        controlLine = line + chunk[..i].Count((byte)'\n');
                        nulLine ??= b == 0 ? controlLine : null;
                    }
                }
            }

            line += chunk.Count((byte)'\n');
            offset += read;
        }

        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (declared is not null)
        {
            return badLine is null
                ? new ScannedFile(path, sha, info.Length, declared)
                : throw new ImportRefusedException(
                    $"The file starts with a {name}, but line {badLine} holds bytes that are not valid in that encoding (byte {badOffset:N0}); save it again as {declared.WebName.ToUpperInvariant()}.");
        }

        if (nulLine is not null)
        {
            throw new ImportRefusedException(
                $"Line {nulLine} holds NUL bytes: the file looks like UTF-16 without a byte order mark; save it as UTF-8 (or UTF-16 with a byte order mark).");
        }

        if (controlLine is not null)
        {
            throw new ImportRefusedException(
                $"Line {controlLine} holds control bytes that no text file has; expected a CSV file in UTF-8 or Windows-1256.");
        }

        // Without a BOM: UTF-8 when every byte sequence is UTF-8 (plain ASCII included), else what Excel on a Persian Windows writes.
        return new ScannedFile(path, sha, info.Length, validUtf8 ? Utf8Strict : Windows1256);
    }

    /// <summary>Opens the file for reading: the header's fields (delimiter detected from them) and the data rows after it.</summary>
    public static CsvFileReader Open(ScannedFile file, IReadOnlyCollection<string> knownColumns)
    {
        var delimiter = DetectDelimiter(file, knownColumns);
        return new CsvFileReader(file, delimiter);
    }

    /// <summary>The delimiter that splits the header line into the most known column names; comma when none does.</summary>
    private static string DetectDelimiter(ScannedFile file, IReadOnlyCollection<string> knownColumns)
    {
        using var reader = new StreamReader(file.Path, file.Encoding, detectEncodingFromByteOrderMarks: true);
        string? header;
        while ((header = reader.ReadLine()) is not null && string.IsNullOrWhiteSpace(header))
        {
        }

        header ??= "";
        return new[] { ",", ";", "\t" }
            .Select(d => (Delimiter: d, Known: header.Split(d).Count(n => knownColumns.Contains(ColumnName(n)))))
            .OrderByDescending(c => c.Known)
            .First().Delimiter;
    }

    /// <summary>A header name as matched: trimmed, unquoted, lower case.</summary>
    public static string ColumnName(string text) => PersianText.Clean(text).Trim('"').Trim().ToLowerInvariant();
}

/// <summary>The header and the data rows of one file, streamed.</summary>
public sealed class CsvFileReader : IDisposable
{
    private readonly CsvParser _parser;
    private int _badQuotingRawRow = -1;

    internal CsvFileReader(ScannedFile file, string delimiter)
    {
        Delimiter = delimiter;
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter,
            IgnoreBlankLines = true,
            BadDataFound = args => _badQuotingRawRow = args.Context.Parser!.RawRow,
        };
        _parser = new CsvParser(new StreamReader(file.Path, file.Encoding, detectEncodingFromByteOrderMarks: true, 1 << 16), configuration);
        Header = _parser.Read() ? _parser.Record! : [];
    }

    public string Delimiter { get; }
    public string[] Header { get; }

    public IEnumerable<CsvRow> Rows()
    {
        while (_parser.Read())
        {
            var fields = _parser.Record!;
            // RawRow is the line a record ends on; quoted newlines move its first line back.
            var line = _parser.RawRow;
            foreach (var field in fields)
            {
                line -= field.AsSpan().Count('\n');
            }

            yield return new CsvRow(line, fields, _badQuotingRawRow == _parser.RawRow);
        }
    }

    public void Dispose() => _parser.Dispose();
}
