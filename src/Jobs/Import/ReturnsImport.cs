using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Imports;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Engine;

namespace BatchEngine.Jobs.Import;

public sealed class ImportOptions
{
    public long MaxFileBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>Whole returns per transaction: each return is applied entirely or not at all, many at a time for speed.</summary>
    public int ReturnsPerTransaction { get; set; } = 1000;

    /// <summary>How often (in rows read) the upload's progress is written for the dashboard.</summary>
    public int ProgressEveryRows { get; set; } = 20_000;

    /// <summary>Connections applying chunks at once where the store allows concurrent writers (PostgreSQL); SQLite uses one.</summary>
    public int Writers { get; set; } = 2;

    public IEnumerable<string> Problems() => SettingProblem.Found(
        SettingProblem.Range("Import:MaxFileBytes", MaxFileBytes, 1, long.MaxValue),
        SettingProblem.Range("Import:ReturnsPerTransaction", ReturnsPerTransaction, 1, 100_000),
        SettingProblem.Range("Import:ProgressEveryRows", ProgressEveryRows, 1, int.MaxValue),
        SettingProblem.Range("Import:Writers", Writers, 1, 16));
}

/// <summary>What an import did, or would do on a dry run.</summary>
public sealed record ImportSummary(
    int RowsRead,
    int ReturnsApplied,
    int ReturnsRejected,
    int RowsInError,
    int Errors,
    IReadOnlyList<RowError> FirstErrors,
    IReadOnlyList<string> IgnoredColumns,
    string Encoding,
    string Delimiter,
    int ReturnsAppliedBefore,
    ImportPhases Phases);

/// <summary>Where an import's time went: reading and checking the file (rows parked on disk), then applying the returns.</summary>
public sealed record ImportPhases(TimeSpan Checking, TimeSpan Applying);

/// <summary>
/// The bulk returns import: checks every row of a file against reference data read once, reports all errors, then
/// applies every return without an error in transactions of whole returns. Memory stays flat: the file is streamed
/// and the checked rows wait on disk.
/// </summary>
public sealed class ReturnsImport(Database database, ImportOptions options, TimeProvider time)
{
    /// <param name="uploadId">The upload being imported (its applied returns are recorded), or null for a dry run without one.</param>
    public async Task<ImportSummary> RunAsync(ScannedFile file, string province, long? uploadId, bool dryRun, string? reportPath, Actor actor,
        CancellationToken cancellationToken = default)
    {
        using var reader = CsvFile.Open(file, ReturnRows.Columns);
        var map = ReturnRows.MapHeader(reader.Header);
        var reference = await ImportReference.LoadAsync(database, province, uploadId);
        var rules = new ReturnRows(reference, time.GetUtcNow().UtcDateTime);
        var uploads = new Uploads(database);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var tallies = new Dictionary<(string, string), ReturnTally>();
        var byIndex = new List<ReturnTally>();
        var errors = new List<RowError>();
        var unreadPeriods = new Dictionary<string, int>(StringComparer.Ordinal);
        using var report = new ErrorReport(reportPath);
        using var spill = new Spill();
        var rowsRead = 0;
        foreach (var row in reader.Rows())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = rules.Key(row, map);
            if (!tallies.TryGetValue((key.Unit, key.Period), out var tally))
            {
                tallies[(key.Unit, key.Period)] = tally = new ReturnTally(byIndex.Count, row.Line, key.Unit);
                byIndex.Add(tally);
            }

            if (key.Read is null && key.Unit.Length > 0)
            {
                unreadPeriods.TryAdd(key.Unit, row.Line);
            }

            errors.Clear();
            var checkedRow = await rules.CheckAsync(row, map, key, tally, errors);
            if (checkedRow is not null)
            {
                ReturnRows.AddToReturn(tally, checkedRow, errors);
            }

            if (errors.Count > 0)
            {
                tally.Rejected = true;
                report.AddRow(errors);
            }
            else if (!dryRun && !tally.AppliedBefore)
            {
                spill.Add(tally.Index, checkedRow!);
            }

            if (++rowsRead % options.ProgressEveryRows == 0 && uploadId is not null)
            {
                await uploads.ProgressAsync(uploadId.Value, rowsRead);
            }
        }

        if (uploadId is not null)
        {
            await uploads.ProgressAsync(uploadId.Value, rowsRead);
        }

        tallies.Clear();
        byIndex.ForEach(t => t.Forget());
        RejectUnitsWithUnreadPeriods(byIndex, unreadPeriods, report);
        var rejected = byIndex.Count(t => t.Rejected);
        var before = byIndex.Count(t => t.AppliedBefore && !t.Rejected);
        var applicable = byIndex.Count - rejected - before;
        var checking = clock.Elapsed;
        if (!dryRun && uploadId is not null)
        {
            var conflicts = await ApplyAsync(spill, byIndex, uploadId.Value, actor, cancellationToken);
            foreach (var conflict in conflicts)
            {
                var tally = byIndex.First(t => t.UnitId == conflict.UnitId && t.Period == conflict.Period);
                var error = new RowError(conflict.FirstLine, ReturnRows.UnitId, tally.UnitKey,
                    $"the return for {conflict.Period} was changed by someone else while the file was imported; upload the file again to apply it",
                    $"اظهارنامهٔ دورهٔ {conflict.Period.ToPersianDigits()} در همان هنگام ورود فایل به دست دیگری تغییر کرد؛ برای اعمال آن، فایل را دوباره بارگذاری کنید");
                report.Add(error);
            }

            rejected += conflicts.Count;
            applicable -= conflicts.Count;
            // A province's upload is thousands of returns of one period: the steps after it plan on what it brought.
            await database.AnalyzeAsync("returns", "return_lines", "return_history");
        }

        var summary = new ImportSummary(rowsRead, applicable, rejected, report.Rows, report.Count, report.First, map.Ignored, file.EncodingName,
            reader.Delimiter switch { "\t" => "tab", ";" => "semicolon", _ => "comma" }, before, new ImportPhases(checking, clock.Elapsed - checking));
        EngineMetrics.Imported(summary, dryRun);
        return summary;
    }

    /// <summary>
    /// A row whose unit can be read but whose period cannot may be the missing row of any return of that unit in the
    /// file: every such return is rejected with the reason, so that none goes in without one of its rows.
    /// </summary>
    private static void RejectUnitsWithUnreadPeriods(List<ReturnTally> byIndex, Dictionary<string, int> unreadPeriods, ErrorReport report)
    {
        foreach (var tally in byIndex)
        {
            if (!tally.Rejected && unreadPeriods.TryGetValue(tally.UnitKey, out var line))
            {
                tally.Rejected = true;
                report.Add(new RowError(tally.FirstLine, ReturnRows.Period, tally.Period.ToString(),
                    $"rejected with every return of unit {tally.UnitKey} in this file: line {line} gives a period that cannot be read, and its row may belong to this return; correct line {line} and upload the file again",
                    $"همراه همهٔ اظهارنامه‌های واحد {PersianText.Digits(tally.UnitKey)} در این فایل پذیرفته نشد: دورهٔ سطر {PersianText.Digits(line)} خوانا نیست و آن سطر ممکن است از همین اظهارنامه باشد؛ سطر {PersianText.Digits(line)} را درست کنید و فایل را دوباره بارگذاری کنید"));
            }
        }
    }

    /// <summary>A chunk that lost a deadlock rolled back whole: it is simply tried again (concurrent writers touch the same units).</summary>
    private async Task<IReadOnlyList<ImportedReturn>> ApplyWithRetriesAsync(ReturnImportWriter writer, long uploadId, Actor actor,
        IReadOnlyList<ImportedReturn> chunk, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await writer.ApplyAsync(uploadId, actor, chunk, time.GetUtcNow().UtcDateTime, cancellationToken);
            }
            catch (Exception e) when (attempt < 5 && database.Dialect.IsTransient(e))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Reads the parked rows back bucket by bucket and applies whole returns in chunks, on several connections where the
    /// store takes concurrent writers (PostgreSQL's key checks are server work that a second connection overlaps).
    /// </summary>
    private async Task<List<ImportedReturn>> ApplyAsync(Spill spill, List<ReturnTally> byIndex, long uploadId, Actor actor, CancellationToken cancellationToken)
    {
        var writer = new ReturnImportWriter(database);
        var conflicts = new List<ImportedReturn>();
        var writers = database.Dialect.ConcurrentWriters ? Math.Max(1, options.Writers) : 1;
        var chunks = Channel.CreateBounded<List<ImportedReturn>>(writers);
        var consumers = Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            try
            {
                await foreach (var chunk in chunks.Reader.ReadAllAsync(cancellationToken))
                {
                    var changed = await ApplyWithRetriesAsync(writer, uploadId, actor, chunk, cancellationToken);
                    lock (conflicts)
                    {
                        conflicts.AddRange(changed);
                    }
                }
            }
            catch (Exception e)
            {
                chunks.Writer.TryComplete(e);
                throw;
            }
        }, cancellationToken)).ToList();

        Exception? failure = null;
        try
        {
            var chunk = new List<ImportedReturn>(options.ReturnsPerTransaction);
            foreach (var bucket in spill.Buckets())
            {
                foreach (var (index, lines) in bucket.OrderBy(b => b.Key))
                {
                    var tally = byIndex[index];
                    if (tally.Rejected || tally.AppliedBefore)
                    {
                        continue;
                    }

                    chunk.Add(new ImportedReturn(tally.UnitId, tally.Period, tally.Existing, tally.Employees, tally.LateIfFirst, lines, tally.FirstLine));
                    if (chunk.Count == options.ReturnsPerTransaction)
                    {
                        await chunks.Writer.WriteAsync(chunk, cancellationToken);
                        chunk = new List<ImportedReturn>(options.ReturnsPerTransaction);
                    }
                }
            }

            if (chunk.Count > 0)
            {
                await chunks.Writer.WriteAsync(chunk, cancellationToken);
            }
        }
        catch (ChannelClosedException)
        {
            // A writer failed; its exception comes out of WhenAll below.
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            chunks.Writer.TryComplete();
        }

        await Task.WhenAll(consumers);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return conflicts;
    }
}
