using System.Globalization;
using System.Text;

namespace BatchEngine.Jobs.Import;

/// <summary>
/// A file's errors as they are found: counted, the first few kept for the summary, and all written to the error report
/// an office downloads (when there is one): line, column, value and the error in Persian under Persian headers, UTF-8
/// with a BOM so that Excel shows Persian, and safe to open there — a value that Excel would run as a formula is written as text.
/// </summary>
public sealed class ErrorReport : IDisposable
{
    /// <summary>How many errors a summary shows; the report has them all.</summary>
    public const int Shown = 20;

    private readonly StreamWriter? _writer;

    public ErrorReport(string? path)
    {
        if (path is null)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _writer = new StreamWriter(path, false, new UTF8Encoding(true));
        _writer.Write("سطر,ستون,مقدار,خطا\r\n");
    }

    public int Count { get; private set; }
    public int Rows { get; private set; }
    public List<RowError> First { get; } = [];

    /// <summary>The errors of one row (none: nothing happens).</summary>
    public void AddRow(IReadOnlyCollection<RowError> errors)
    {
        if (errors.Count == 0)
        {
            return;
        }

        Rows++;
        foreach (var error in errors)
        {
            Add(error);
        }
    }

    public void Add(RowError error)
    {
        error = error with { Value = Echo(error.Value) };
        Count++;
        if (First.Count < Shown)
        {
            First.Add(error);
        }

        if (_writer is null)
        {
            return;
        }

        _writer.Write(error.Line.ToString(CultureInfo.InvariantCulture));
        _writer.Write(',');
        _writer.Write(Field(error.Column));
        _writer.Write(',');
        _writer.Write(Field(error.Value));
        _writer.Write(',');
        _writer.Write(Field(error.Persian));
        _writer.Write("\r\n");
    }

    /// <summary>The longest value echoed back whole; a longer one is cut and its length said.</summary>
    public const int EchoedLength = 80;

    public static string Echo(string value) => value.Length <= EchoedLength
        ? value
        : string.Create(CultureInfo.InvariantCulture, $"{value.AsSpan(0, EchoedLength)}… ({value.Length:N0} characters)");

    /// <summary>One CSV field: quoted when needed (RFC 4180), and with a leading apostrophe when it would start a formula.</summary>
    public static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return CsvFields.Quote(value);
    }

    public void Dispose() => _writer?.Dispose();
}
