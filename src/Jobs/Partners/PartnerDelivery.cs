using System.Globalization;
using System.Security.Cryptography;
using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Partners;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Engine;
using BatchEngine.Jobs.Statistics;

namespace BatchEngine.Jobs.Partners;

/// <summary>What one delivery attempt did; <see cref="Problem"/> says in Persian why it failed.</summary>
public sealed record DeliveryOutcome(string Partner, string Title, int Sequence, int Rows, string Destination, string? Error, bool Resend,
    string? Problem = null)
{
    public override string ToString() => Error is null
        ? $"{Partner}: delivery {Sequence} ({Rows} rows) {(Resend ? "sent again" : "sent")} to {Destination}"
        : $"{Partner}: delivery {Sequence} ({Rows} rows) failed, will be retried: {Error}";

    public string ToPersian() => Error is null
        ? $"{Title}: بستهٔ {PersianText.Digits(Sequence)} ({PersianText.Number(Rows)} ردیف) {(Resend ? "دوباره فرستاده شد" : "فرستاده شد")}"
        : $"{Title}: بستهٔ {PersianText.Digits(Sequence)} ({PersianText.Number(Rows)} ردیف) نرسید و دوباره فرستاده خواهد شد: {Problem}";

    public Engine.ReportLine ToReportLine() => new(ToString(), ToPersian());
}

/// <summary>
/// The delivery rules of partners.md for one partner: an undelivered batch goes first (same number, same bytes) and
/// holds back the next; then everything registered since goes out as the next number, and, to a partner that takes
/// the statistics, each publication not yet sent; every attempt is recorded.
/// </summary>
public sealed class PartnerDelivery(Database database, string dataDirectory, StatisticsOptions statistics)
{
    private readonly Deliveries _deliveries = new(database);

    /// <summary>Where a partner's delivered files are kept, for attempts and re-sends.</summary>
    public string Archive(PartnerOptions partner) => Path.Combine(dataDirectory, "deliveries", partner.Name);

    public IPartnerTransport Transport(PartnerOptions partner) => partner.Transport.Kind switch
    {
        TransportKind.Sftp => new SftpTransport(partner.Transport),
        TransportKind.Https => new HttpsTransport(partner.Transport),
        _ => new FolderTransport(partner.Transport.Folder ?? Path.Combine(dataDirectory, "outbound", partner.Name)),
    };

    /// <summary>
    /// <see cref="RunAsync"/> for each partner, the outcomes in the partners' order. Each partner's delivery is its own
    /// transaction holding its own row, so on a store with concurrent writers they are built at once (as many as there
    /// are cores: building is the client's work); SQLite has one writer and takes them in turn.
    /// </summary>
    public async Task<IReadOnlyList<(PartnerOptions Partner, IReadOnlyList<DeliveryOutcome> Outcomes)>> RunAllAsync(
        IReadOnlyList<PartnerOptions> partners, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var outcomes = new IReadOnlyList<DeliveryOutcome>[partners.Count];
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = database.Dialect.ConcurrentWriters ? Environment.ProcessorCount : 1,
            CancellationToken = cancellationToken,
        };
        await Parallel.ForEachAsync(Enumerable.Range(0, partners.Count), parallel,
            async (i, token) => outcomes[i] = await RunAsync(partners[i], now, token));
        return partners.Select((p, i) => (p, outcomes[i])).ToList();
    }

    /// <summary>Sends what is outstanding, then what is new; returns what was attempted (nothing when nothing was due).</summary>
    public async Task<IReadOnlyList<DeliveryOutcome>> RunAsync(PartnerOptions partner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<DeliveryOutcome>();
        if (await _deliveries.OutstandingAsync(partner.Name) is { } outstanding)
        {
            var retried = await SendAsync(partner, outstanding, resend: false, now, cancellationToken);
            outcomes.Add(retried);
            if (retried.Error is not null)
            {
                return outcomes;
            }
        }

        var created = await _deliveries.CreateNextAsync(partner.Name, partner.Filter,
            (sequence, lines) => DeliveryWriter.WriteAsync(partner, sequence, lines, Archive(partner), now.UtcDateTime), now.UtcDateTime);
        if (created is not null)
        {
            outcomes.Add(await SendAsync(partner, created, resend: false, now, cancellationToken));
            if (outcomes[^1].Error is not null)
            {
                return outcomes;
            }
        }

        if (partner.Statistics)
        {
            await SendPublicationsAsync(partner, now, outcomes, cancellationToken);
        }

        return outcomes;
    }

    /// <summary>Each publication the partner has not received, oldest first, as its own numbered delivery; a failure holds back the rest.</summary>
    private async Task SendPublicationsAsync(PartnerOptions partner, DateTimeOffset now, List<DeliveryOutcome> outcomes, CancellationToken cancellationToken)
    {
        var publishing = new StatisticsPublishing(database, statistics);
        foreach (var id in await _deliveries.UndeliveredPublicationsAsync(partner.Name))
        {
            var published = await publishing.ReadAsync(id);
            var created = await _deliveries.CreateForPublicationAsync(partner.Name, id, sequence =>
            {
                var replaces = published.Publication.Number > 1;
                var sdmx = StatisticsFiles.SdmxCsv(published.Table, replaces);
                return DeliveryWriter.WriteTableAsync(partner, sequence, sdmx, sdmx.Count(c => c == '\n') - 1, published.Publication.Period, replaces,
                    Archive(partner), now.UtcDateTime);
            }, now.UtcDateTime);
            if (created is null)
            {
                continue;
            }

            outcomes.Add(await SendAsync(partner, created, resend: false, now, cancellationToken));
            if (outcomes[^1].Error is not null)
            {
                return;
            }
        }
    }

    /// <summary>Sends a past delivery again, byte for byte (an admin's "re-send"); its state stays as it was.</summary>
    public async Task<DeliveryOutcome> ResendAsync(PartnerOptions partner, int sequence, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var delivery = await _deliveries.FindAsync(partner.Name, sequence)
            ?? throw new InvalidOperationException($"Partner {partner.Name} has no delivery {sequence}.");
        return await SendAsync(partner, delivery, resend: true, now, cancellationToken);
    }

    private async Task<DeliveryOutcome> SendAsync(PartnerOptions partner, Delivery delivery, bool resend, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var archive = Archive(partner);
        var transport = Transport(partner);
        var attempt = await _deliveries.StartAttemptAsync(delivery, resend, now.UtcDateTime);
        string? error = null, problem = null;
        try
        {
            var data = Path.Combine(archive, delivery.DataFile);
            string sha;
            await using (var stream = File.OpenRead(data))
            {
                sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            }

            if (sha != delivery.Sha256)
            {
                throw new DeliveryRefusedException($"the archived {delivery.DataFile} no longer matches its SHA-256; it was changed after delivery {delivery.Sequence} was built",
                    "پروندهٔ بایگانی‌شدهٔ این بسته پس از ساخته شدن تغییر کرده است؛ فرستاده نشد");
            }

            await transport.SendAsync(partner, delivery.Sequence,
                [new OutgoingFile(delivery.DataFile, data), new OutgoingFile(delivery.ManifestFile, Path.Combine(archive, delivery.ManifestFile))],
                cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error = e.Message;
            problem = DeliveryProblem.Of(e);
        }

        var retryAt = now.UtcDateTime + RetryBackoff.After(partner.RetryBaseSeconds, delivery.Attempts + 1);
        await _deliveries.FinishAttemptAsync(attempt, delivery, resend, error, problem, now.UtcDateTime, retryAt);
        var outcome = new DeliveryOutcome(partner.Name, partner.Title, delivery.Sequence, delivery.RowCount, transport.Destination, error, resend, problem);
        EngineMetrics.Delivered(outcome);
        return outcome;
    }
}

/// <summary>When a partner's daily deliveries fall: at its <c>DailyAt</c>, Tehran time.</summary>
public static class PartnerSchedule
{
    public static TimeOnly TimeOfDay(PartnerOptions partner) =>
        TimeOnly.TryParseExact(partner.DailyAt, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new FormatException($"Partner {partner.Name}: DailyAt '{partner.DailyAt}' is not a time of day HH:mm.");

    /// <summary>The latest slot at or before <paramref name="now"/>.</summary>
    public static DateTimeOffset Latest(PartnerOptions partner, DateTimeOffset now, TehranClock clock)
    {
        var today = clock.At(clock.DateOf(now), TimeOfDay(partner));
        return today <= now ? today : clock.At(clock.DateOf(now).AddDays(-1), TimeOfDay(partner));
    }

    /// <summary>The latest slot at or before <paramref name="now"/> and those of the next <paramref name="days"/> days.</summary>
    public static IEnumerable<DateTimeOffset> Slots(PartnerOptions partner, DateTimeOffset now, TehranClock clock, int days)
    {
        var first = Latest(partner, now, clock);
        var date = clock.DateOf(first);
        for (var i = 0; i <= days; i++)
        {
            yield return clock.At(date.AddDays(i), TimeOfDay(partner));
        }
    }
}
