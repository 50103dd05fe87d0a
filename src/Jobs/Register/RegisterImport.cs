using BatchEngine.Data;
using BatchEngine.Data.Register;
using BatchEngine.Jobs.Import;

namespace BatchEngine.Jobs.Register;

/// <summary>What a register load read, what it found wrong, and what it changed (nothing on a dry run).</summary>
public sealed record RegisterSummary(RegisterKind Kind, int RowsRead, int RowsInError, int Errors, IReadOnlyList<RowError> FirstErrors,
    IReadOnlyList<string> IgnoredColumns, string Encoding, RegisterOutcome? Outcome, int Valid, IReadOnlyList<string> Missing);

/// <summary>
/// Loads a register file of one kind the way returns files are read (encodings, delimiters, Persian digits, all errors
/// at once with an error report); the rows without errors are upserted, all in one transaction.
/// </summary>
public sealed class RegisterImport(Database database, ImportOptions options, TimeProvider time)
{
    /// <param name="province">Limits the file to one province; for units, that province's units the file leaves out are listed as missing (never deleted).</param>
    /// <param name="manager">Who loads the file: a users file may only create and change the accounts they manage.</param>
    public async Task<RegisterSummary> RunAsync(string path, RegisterKind kind, string? province, bool dryRun, string? reportPath, string actor,
        AccountManager manager, CancellationToken cancellationToken = default)
    {
        var file = await CsvFile.ScanAsync(path, options.MaxFileBytes, cancellationToken);
        using var reader = CsvFile.Open(file, RegisterRows.Columns(kind));
        var map = ReturnRows.MapHeader(reader.Header, RegisterRows.Columns(kind), RegisterRows.Required(kind));
        var reference = await RegisterReference.LoadAsync(database);
        var rules = new RegisterRows(kind, reference, province, manager);
        var records = new List<object>();
        var errors = new List<RowError>();
        using var report = new ErrorReport(reportPath);
        var rows = 0;
        foreach (var row in reader.Rows())
        {
            rows++;
            errors.Clear();
            if (rules.Check(row, map, errors) is { } record)
            {
                records.Add(record);
            }

            report.AddRow(errors);
        }

        var named = records.OfType<UnitRecord>().Select(r => r.LicenceNo).ToHashSet();
        var missing = kind == RegisterKind.Units && province is not null
            ? reference.Units.Where(u => u.ProvinceCode == province && u.Status != UnitStatus.Closed && !named.Contains(u.LicenceNo))
                .Select(u => u.LicenceNo).Order(StringComparer.Ordinal).ToList()
            : [];
        RegisterOutcome? outcome = null;
        if (!dryRun && records.Count > 0)
        {
            var writer = new RegisterWriter(database);
            var now = time.GetUtcNow().UtcDateTime;
            outcome = kind switch
            {
                RegisterKind.Products => await writer.ProductsAsync(records.Cast<ProductRecord>().ToList(), actor, now),
                RegisterKind.Units => await writer.UnitsAsync(records.Cast<UnitRecord>().ToList(), actor, now),
                RegisterKind.Liaisons => await writer.LiaisonsAsync(records.Cast<LiaisonRecord>().ToList(), actor, now),
                _ => await writer.UsersAsync(records.Cast<UserRecord>().ToList(), actor, now),
            };
        }

        return new RegisterSummary(kind, rows, report.Rows, report.Count, report.First, map.Ignored, file.EncodingName, outcome, records.Count, missing);
    }
}
