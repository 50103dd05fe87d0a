namespace BatchEngine.Jobs.Import;

/// <summary>Writing CSV fields by RFC 4180: quoted when they hold a comma, a quote or a line break, with quotes doubled.</summary>
public static class CsvFields
{
    public static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
