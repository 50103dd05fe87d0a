using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;
using CsvHelper;
using CsvHelper.Configuration;

namespace BatchEngine.Jobs.Import;

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
            throw ImportRefusals.NoFile(path);
        }

        if (info.Length > maxBytes)
        {
            throw ImportRefusals.TooLarge(info.Length, maxBytes);
        }

        if (info.Length == 0)
        {
            throw ImportRefusals.Empty();
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
        var utf16 = declared is UnicodeEncoding;
        var scan = new ByteScan();
        var text = new CharScan(declared ?? Utf8Strict);
        var buffer = new byte[(1 << 20) + 4];
        var carry = 0;
        long offset = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(carry, 1 << 20), cancellationToken);
            hash.AppendData(buffer, carry, read);
            var chunk = buffer.AsSpan(0, carry + read);
            if (utf16)
            {
                text.Feed(chunk, offset, final: read == 0);
                carry = 0;
            }
            else
            {
                carry = scan.Feed(chunk, offset - carry, final: read == 0);
                chunk[^carry..].CopyTo(buffer);
            }

            offset += read;
            if (read == 0)
            {
                break;
            }
        }

        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        var (control, invalid) = utf16 ? (text.FirstControl, text.FirstInvalid) : (scan.FirstControl, scan.FirstInvalid);
        if (declared is null && scan.FirstNulLine is { } nulLine)
        {
            throw ImportRefusals.Utf16WithoutMark(nulLine);
        }

        if (control is { } c)
        {
            throw ImportRefusals.ControlCharacter(c.Line, c.Code);
        }

        if (declared is not null)
        {
            return invalid is not { } bad
                ? new ScannedFile(path, sha, info.Length, declared)
                : throw ImportRefusals.InvalidForMark(name, bad.Line, bad.Offset, declared.WebName.ToUpperInvariant());
        }

        // Without a BOM: UTF-8 when the bytes are UTF-8. Persian text in Windows-1256 is mostly sequences UTF-8 cannot
        // read, so a file whose multi-byte UTF-8 characters outnumber its invalid sequences is UTF-8 with damage.
        if (scan.FirstInvalid is not { } first)
        {
            return new ScannedFile(path, sha, info.Length, Utf8Strict);
        }

        return scan.MultiByte > scan.Invalid
            ? throw ImportRefusals.DamagedUtf8(scan.MultiByte, first.Line, first.Offset, scan.Invalid)
            : new ScannedFile(path, sha, info.Length, Windows1256);
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
    private int _lastLine;

    internal CsvFileReader(ScannedFile file, string delimiter)
    {
        Delimiter = delimiter;
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter,
            // Blank lines come through as records so that each record starts on the line after the one before.
            IgnoreBlankLines = false,
            BadDataFound = args => _badQuotingRawRow = args.Context.Parser!.RawRow,
        };
        _parser = new CsvParser(new StreamReader(file.Path, file.Encoding, detectEncodingFromByteOrderMarks: true, 1 << 16), configuration);
        while (_parser.Read())
        {
            _lastLine = _parser.RawRow;
            if (!Blank(_parser.Record!))
            {
                Header = _parser.Record!;
                break;
            }
        }
    }

    public string Delimiter { get; }
    public string[] Header { get; } = [];

    /// <summary>
    /// The data rows; lines with nothing but delimiters, spaces and invisible characters are no rows. A quoted field
    /// that the file never closes refuses the file at the line where it opened, rather than swallow the rest as one value.
    /// </summary>
    public IEnumerable<CsvRow> Rows()
    {
        while (_parser.Read())
        {
            var fields = _parser.Record!;
            var line = _lastLine + 1;
            _lastLine = _parser.RawRow;
            var badQuoting = _badQuotingRawRow == _parser.RawRow;
            // A quote never closed makes a bad record or one that runs over several lines; only those are looked at raw.
            if ((badQuoting || _parser.RawRow > line) && NeverClosed(_parser.RawRecord))
            {
                throw ImportRefusals.QuoteNeverClosed(line, _parser.RawRow - line);
            }

            if (!Blank(fields))
            {
                yield return new CsvRow(line, fields, badQuoting);
            }
        }
    }

    private bool NeverClosed(string raw) =>
        raw.AsSpan().Count('"') % 2 == 1 && (raw.StartsWith('"') || raw.Contains(Delimiter + '"', StringComparison.Ordinal));

    private static bool Blank(string[] fields) => fields.All(f => PersianText.Code(f).Length == 0);

    public void Dispose() => _parser.Dispose();
}
