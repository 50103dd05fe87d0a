using BatchEngine.Data;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Jobs.Import;

namespace BatchEngine.Jobs.Cli;

/// <summary>
/// <c>import FILE --province CODE [--dry-run] [--report OUT.csv]</c>: bulk-loads a returns CSV as the province's office.
/// Exit 0 when every return was applied, 1 when some rows were rejected, 2 when the file was refused.
/// </summary>
internal static class ImportCommand
{
    public static async Task<int> RunAsync(CliArguments args, Database database, EngineSettings settings, TimeProvider time, TextWriter output)
    {
        var path = args.Positional.Count == 1
            ? args.Positional[0]
            : throw new UserErrorException("The import command needs one FILE (for example: batchengine import returns.csv --province tehran).");
        var province = args.RequiredOption("province", "tehran");
        var dryRun = args.Flag("dry-run");
        var reportPath = args.Option("report");
        args.RejectUnknownOptions();
        await CliParsing.RequireProvinceAsync(database, province);

        var options = settings.ImportOptions();
        var uploadBy = $"office:{province}";
        ImportSummary? summary;
        if (dryRun)
        {
            var file = await CsvFile.ScanAsync(path, options.MaxFileBytes);
            summary = await new ReturnsImport(database, options, time)
                .RunAsync(file, province, null, dryRun: true, reportPath, Data.Returns.Actor.ProvincialOffice(uploadBy, province));
            output.WriteLine($"Checked {Path.GetFileName(path)} ({summary.Encoding}, {summary.Delimiter}-separated) for province {province}; nothing was changed.");
        }
        else
        {
            var import = new UploadImport(database, options, settings.UploadsDirectory(), time);
            var result = await import.ImportAsync(path, province, dryRun: false, uploadBy);
            if (result.AlreadyImported)
            {
                output.WriteLine($"{Path.GetFileName(path)} was already imported (upload {result.Upload.Id}, {result.Upload.ReturnsApplied} returns applied); nothing was changed.");
                return 0;
            }

            if (result.Summary is null)
            {
                throw new UserErrorException(result.Upload.Message ?? $"Upload {result.Upload.Id} is {result.Upload.State}.");
            }

            summary = result.Summary;
            output.WriteLine($"Imported {Path.GetFileName(path)} ({summary.Encoding}, {summary.Delimiter}-separated) for province {province} as upload {result.Upload.Id}.");
            if (reportPath is not null && result.Upload.ErrorReport is { } stored)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(reportPath))!);
                File.Copy(stored, reportPath, overwrite: true);
            }

            summary = summary with { ReturnsApplied = result.Upload.ReturnsApplied - summary.ReturnsAppliedBefore };
        }

        Print(summary, dryRun, reportPath, output);
        return summary.RowsInError > 0 || summary.ReturnsRejected > 0 ? 1 : 0;
    }

    private static void Print(ImportSummary summary, bool dryRun, string? reportPath, TextWriter output)
    {
        output.WriteLine($"  rows read          {summary.RowsRead}");
        output.WriteLine($"  returns {(dryRun ? "to apply" : "applied "),-10} {summary.ReturnsApplied}");
        if (summary.ReturnsAppliedBefore > 0)
        {
            output.WriteLine($"  applied before     {summary.ReturnsAppliedBefore} (by an earlier, interrupted run of this upload)");
        }

        output.WriteLine($"  returns rejected   {summary.ReturnsRejected}");
        output.WriteLine($"  rows in error      {summary.RowsInError}");
        if (summary.IgnoredColumns.Count > 0)
        {
            output.WriteLine($"  ignored columns    {string.Join(", ", summary.IgnoredColumns)}");
        }

        if (summary.Errors == 0)
        {
            return;
        }

        output.WriteLine($"Errors ({(summary.Errors > summary.FirstErrors.Count ? $"first {summary.FirstErrors.Count} of {summary.Errors}" : $"{summary.Errors}")}" +
            $"{(reportPath is null ? "; --report FILE writes them all" : $"; all in {reportPath}")}):");
        foreach (var error in summary.FirstErrors)
        {
            output.WriteLine($"  line {error.Line}, {error.Column}, '{error.Value}': {error.Error}");
        }
    }
}
