using BatchEngine.Jobs.Import;
using BatchEngine.Data;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Notifications;
using Microsoft.Extensions.Configuration;

namespace BatchEngine.Jobs.Hosting;

/// <summary>Builds the engine's parts from the settings: the one place that decides file or SMTP, log or gateway.</summary>
public static class EngineComposition
{
    public static NotificationOptions NotificationOptions(this EngineSettings settings) =>
        settings.Configuration.GetSection("Notifications").Get<NotificationOptions>() ?? new NotificationOptions();

    public static ImportOptions ImportOptions(this EngineSettings settings) =>
        settings.Configuration.GetSection("Import").Get<ImportOptions>() ?? new ImportOptions();

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

    public static NotificationSender CreateSender(this EngineSettings settings, Database database, ReportingCalendar calendar, Func<HttpClient> httpClient)
    {
        var options = settings.NotificationOptions();
        return new NotificationSender(database, options, settings.EmailTransport(options), settings.SmsGateway(options, httpClient),
            settings.Templates(), calendar.Clock);
    }
}
