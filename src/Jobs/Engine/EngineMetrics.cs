using System.Diagnostics;
using System.Diagnostics.Metrics;
using BatchEngine.Data;
using BatchEngine.Data.Notifications;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Import;
using BatchEngine.Jobs.Notifications;
using BatchEngine.Jobs.Partners;
using Dapper;

namespace BatchEngine.Jobs.Engine;

/// <summary>
/// What the engine measures, under the OpenTelemetry meter <see cref="MeterName"/>; a host with <c>Metrics:Listen</c>
/// set serves it to Prometheus (README, "Metrics and logs"). Counters are per process: Prometheus sums the engines.
/// </summary>
public static class EngineMetrics
{
    public const string MeterName = "BatchEngine";

    internal static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Messages = Meter.CreateCounter<long>("batchengine.messages", "{message}",
        "Reminders and digests tried, by kind, channel and outcome (sent, retrying, failed, invalid, skipped).");

    /// <summary>Seconds to half an hour: the default buckets are milliseconds'.</summary>
    private static readonly InstrumentAdvice<double> Seconds = new() { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800] };

    private static readonly Histogram<double> Steps = Meter.CreateHistogram("batchengine.step.duration", "s",
        "How long a run of the deadline step took, by what started it (quartz, sweep, tick).", advice: Seconds);

    private static readonly Counter<long> ImportRows = Meter.CreateCounter<long>("batchengine.import.rows", "{row}",
        "Rows of returns files read, by outcome (good, in_error).");

    private static readonly Counter<long> ImportReturns = Meter.CreateCounter<long>("batchengine.import.returns", "{return}",
        "Returns of imported files (dry runs left out), by outcome (applied, rejected).");

    private static readonly Histogram<double> Imports = Meter.CreateHistogram("batchengine.import.duration", "s",
        "How long an import took, by phase (checking, applying).", advice: Seconds);

    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>("batchengine.deliveries", "{delivery}",
        "Attempts to deliver a batch to a partner, by partner and outcome (delivered, failed).");

    public static void Sent(string kind, Channel channel, SendReport report)
    {
        foreach (var (outcome, count) in new[] { ("sent", report.Sent), ("retrying", report.Retrying), ("failed", report.Failed), ("invalid", report.Invalid), ("skipped", report.Skipped) })
        {
            if (count > 0)
            {
                Messages.Add(count, new("kind", kind), new("channel", channel.ToString()), new("outcome", outcome));
            }
        }
    }

    /// <summary>The source's first word: a Quartz firing's source also names its trigger, one series per trigger would never end.</summary>
    public static void Step(string source, TimeSpan took) =>
        Steps.Record(took.TotalSeconds, new KeyValuePair<string, object?>("source", source.Split(' ')[0]));

    public static void Imported(ImportSummary summary, bool dryRun)
    {
        ImportRows.Add(summary.RowsRead - summary.RowsInError, new KeyValuePair<string, object?>("outcome", "good"));
        ImportRows.Add(summary.RowsInError, new KeyValuePair<string, object?>("outcome", "in_error"));
        if (!dryRun)
        {
            ImportReturns.Add(summary.ReturnsApplied, new KeyValuePair<string, object?>("outcome", "applied"));
            ImportReturns.Add(summary.ReturnsRejected, new KeyValuePair<string, object?>("outcome", "rejected"));
        }

        Imports.Record(summary.Phases.Checking.TotalSeconds, new KeyValuePair<string, object?>("phase", "checking"));
        Imports.Record(summary.Phases.Applying.TotalSeconds, new KeyValuePair<string, object?>("phase", "applying"));
    }

    public static void Delivered(DeliveryOutcome outcome) =>
        Deliveries.Add(1, new("partner", outcome.Partner), new("outcome", outcome.Error is null ? "delivered" : "failed"));
}

/// <summary>
/// What is waiting, read from the database when Prometheus scrapes (at most once per <see cref="Fresh"/>, however many
/// scrape): reminders waiting to be sent by channel, returns waiting in the review queues by state. Its meter lives
/// and ends with the host's metrics.
/// </summary>
public sealed class WaitingGauges : IDisposable
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(15);
    private static readonly IReadOnlyList<ReturnState> UnderReview =
        ReturnWorkflow.AwaitingReviewBy(ActorRole.ProvincialExpert).Concat(ReturnWorkflow.AwaitingReviewBy(ActorRole.MinistryExpert)).ToList();

    private readonly Database _database;
    private readonly Meter _meter = new(EngineMetrics.MeterName);
    private readonly Lock _lock = new();
    private Reading? _last;

    private sealed record Reading(long At, IReadOnlyList<Measurement<long>> Messages, IReadOnlyList<Measurement<long>> Returns);

    public WaitingGauges(Database database)
    {
        _database = database;
        _meter.CreateObservableGauge("batchengine.messages.waiting", () => Read().Messages, "{message}",
            "Reminders waiting to be sent (pending or being sent), by channel.");
        _meter.CreateObservableGauge("batchengine.review.waiting", () => Read().Returns, "{return}",
            "Returns waiting for a review, by state.");
    }

    public void Dispose() => _meter.Dispose();

    private Reading Read()
    {
        lock (_lock)
        {
            if (_last is { } last && Stopwatch.GetElapsedTime(last.At) < Fresh)
            {
                return last;
            }

            using var connection = _database.OpenAsync().GetAwaiter().GetResult();
            var waiting = connection.Query<(string Channel, long Count)>(
                "SELECT channel, COUNT(*) FROM reminders WHERE status IN ('Pending', 'Sending') GROUP BY channel").ToDictionary(r => r.Channel, r => r.Count);
            var states = connection.Query<(string State, long Count)>(
                $"SELECT state, COUNT(*) FROM returns WHERE {_database.Dialect.InList("state", "states")} GROUP BY state",
                new { states = UnderReview.Select(s => s.ToString()).ToArray() }).ToDictionary(r => r.State, r => r.Count);
            _last = new Reading(Stopwatch.GetTimestamp(),
                Enum.GetNames<Channel>().Select(c => new Measurement<long>(waiting.GetValueOrDefault(c), new KeyValuePair<string, object?>("channel", c))).ToList(),
                UnderReview.Select(s => new Measurement<long>(states.GetValueOrDefault(s.ToString()), new KeyValuePair<string, object?>("state", s.ToString()))).ToList());
            return _last;
        }
    }
}
