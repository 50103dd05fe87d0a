using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Partners;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Jobs.Partners;

namespace BatchEngine.Jobs.Cli;

/// <summary>
/// <c>deliver [--partner NAME] [--now INSTANT] [--resend SEQ]</c>: builds and sends what is due to partners, in this
/// process; <c>deliveries [--partner NAME]</c>: every delivery's status and attempts.
/// </summary>
internal static class DeliverCommand
{
    public static async Task<int> RunAsync(CliArguments args, Database database, ReportingCalendar calendar, EngineSettings settings, TimeProvider time, TextWriter output)
    {
        var now = CliParsing.Instant(args.Option("now"), calendar.Clock, time);
        var partners = Selected(args, settings);
        var resend = args.Option("resend");
        args.RejectUnknownOptions();
        var delivery = settings.PartnerDelivery(database);
        if (resend is not null)
        {
            if (partners.Count != 1)
            {
                throw new UserErrorException("--resend needs --partner NAME: the delivery numbers are per partner.");
            }

            DeliveryOutcome outcome;
            try
            {
                outcome = await delivery.ResendAsync(partners[0], CliParsing.PositiveInt(resend, "resend", 0), now);
            }
            catch (InvalidOperationException e)
            {
                throw new UserErrorException(e.Message);
            }

            output.WriteLine(outcome.ToString());
            return outcome.Error is null ? 0 : 1;
        }

        var failed = false;
        foreach (var (partner, outcomes) in await delivery.RunAllAsync(partners, now))
        {
            output.WriteLine(outcomes.Count == 0 ? $"{partner.Name}: nothing new to deliver" : string.Join(Environment.NewLine, outcomes));
            failed |= outcomes.Any(o => o.Error is not null);
        }

        return failed ? 1 : 0;
    }

    public static async Task<int> ListAsync(CliArguments args, Database database, EngineSettings settings, TextWriter output)
    {
        var partner = args.Option("partner");
        var page = CliParsing.PositiveInt(args.Option("page"), "page", 1);
        args.RejectUnknownOptions();
        if (partner is not null)
        {
            Named(settings, partner);
        }

        var deliveries = await new Deliveries(database).PageAsync(partner, page);
        output.WriteLine(deliveries.Total == 0
            ? "No deliveries yet."
            : $"Deliveries {deliveries.First}-{deliveries.Last} of {deliveries.Total}, newest first (page {deliveries.Page} of {deliveries.Pages}; --page N for another).");
        foreach (var d in deliveries.Rows)
        {
            output.WriteLine($"{d.Partner,-10} {d.Sequence,6}  {d.State,-9} {d.RowCount,7} rows  {d.PeriodFrom}..{d.PeriodTo}  built {InstantText.Iso(new DateTimeOffset(d.CreatedAt))}  " +
                $"attempts {d.Attempts}{(d.LastError is null ? "" : "  last error: " + d.LastError)}");
        }

        return 0;
    }

    private static IReadOnlyList<PartnerOptions> Selected(CliArguments args, EngineSettings settings)
    {
        var name = args.Option("partner");
        var all = settings.Partners();
        if (all.Count == 0)
        {
            throw new UserErrorException("No partners are configured (Partners in config/batchengine.json).");
        }

        return name is null ? all : [Named(settings, name)];
    }

    private static PartnerOptions Named(EngineSettings settings, string name)
    {
        try
        {
            return settings.Partner(name);
        }
        catch (ArgumentException e)
        {
            throw new UserErrorException(e.Message);
        }
    }
}
