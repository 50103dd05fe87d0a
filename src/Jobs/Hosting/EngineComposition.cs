using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Engine;
using BatchEngine.Jobs.Import;
using BatchEngine.Jobs.Notifications;
using BatchEngine.Jobs.Partners;

namespace BatchEngine.Jobs.Hosting;

/// <summary>Builds the engine's parts from the settings: the one place that decides file or SMTP, log or gateway.</summary>
public static class EngineComposition
{
    public static NotificationOptions NotificationOptions(this EngineSettings settings) => settings.Options<NotificationOptions>();

    public static ImportOptions ImportOptions(this EngineSettings settings) => settings.Options<ImportOptions>();

    public static IReadOnlyList<PartnerOptions> Partners(this EngineSettings settings) => settings.Options<PartnerList>().Partners;

    public static PartnerOptions Partner(this EngineSettings settings, string name) =>
        settings.Partners().FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"There is no partner '{name}'; configured partners: {string.Join(", ", settings.Partners().Select(p => p.Name))}.");

    /// <summary><c>Review</c>: the review deadlines of the experts' queues and digests.</summary>
    public static ReviewDeadline ReviewDeadline(this EngineSettings settings, TehranClock clock) => new(settings.Options<ReviewOptions>(), clock);

    /// <summary>Where uploaded files and their error reports are kept.</summary>
    public static string UploadsDirectory(this EngineSettings settings) => Path.Combine(settings.DataDirectory, "uploads");

    public static string OutboxDirectory(this EngineSettings settings) => Path.Combine(settings.DataDirectory, "outbox");

    public static IEmailTransport EmailTransport(this EngineSettings settings, NotificationOptions options) =>
        string.IsNullOrWhiteSpace(options.Email.Smtp.Host)
            ? new FileEmailTransport(Path.Combine(settings.OutboxDirectory(), "email"))
            : new SmtpEmailTransport(options.Email.Smtp);

    public static ISmsGateway SmsGateway(this EngineSettings settings, NotificationOptions options, Func<HttpClient> httpClient) =>
        string.IsNullOrWhiteSpace(options.Sms.Kavenegar.ApiKey)
            ? new FileSmsGateway(Path.Combine(settings.OutboxDirectory(), "sms.log"))
            : new KavenegarSmsGateway(httpClient(), options.Sms.Kavenegar);

    public static MessageTemplates Templates(this EngineSettings settings) => new(Path.Combine(settings.ConfigDirectory, "templates"));

    public static PartnerDelivery PartnerDelivery(this EngineSettings settings, Database database) => new(database, settings.DataDirectory, settings.Statistics);

    /// <summary>The step sending and delivering in this process, at one calendar: <c>tick</c>, and the tests as <c>tick</c> runs it.</summary>
    public static DueWork InlineStep(this EngineSettings settings, Database database, ReportingCalendar calendar, NotificationSender sender) =>
        new(database, CalendarSource.Fixed(calendar), settings, settings.NotificationOptions(), new InlineDispatcher(sender, settings.PartnerDelivery(database)));

    public static NotificationSender CreateSender(this EngineSettings settings, Database database, ReportingCalendar calendar, Func<HttpClient> httpClient)
    {
        var options = settings.NotificationOptions();
        return new NotificationSender(database, options, settings.EmailTransport(options), settings.SmsGateway(options, httpClient),
            settings.Templates(), calendar.Clock, settings.ReviewDeadline(calendar.Clock));
    }
}
