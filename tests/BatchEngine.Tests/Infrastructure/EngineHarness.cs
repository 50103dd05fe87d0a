using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Engine;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Jobs.Notifications;
using Microsoft.Extensions.Configuration;

namespace BatchEngine.Tests.Infrastructure;

/// <summary>The engine's step as <c>batchengine tick</c> runs it, with settings a test chooses (real SMTP and gateway ports).</summary>
public sealed class EngineHarness
{
    private readonly HttpClient _http = new();

    public EngineHarness(string dataDirectory, string database, IDictionary<string, string?>? overrides = null)
    {
        Settings = EngineSettings.Load(dataDirectory, database, new ConfigurationBuilder().AddInMemoryCollection(overrides ?? new Dictionary<string, string?>()).Build());
        Database = Settings.OpenDatabase();
        Calendar = Settings.CreateCalendar();
        Sender = Settings.CreateSender(Database, Calendar, () => _http);
        Step = Settings.InlineStep(Database, Calendar, Sender);
    }

    public EngineSettings Settings { get; }
    public Database Database { get; }
    public ReportingCalendar Calendar { get; }
    public NotificationSender Sender { get; }
    public DueWork Step { get; }

    public static Dictionary<string, string?> Smtp(TestSmtpServer smtp) => new()
    {
        ["Notifications:Email:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Email:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Notifications:Email:Smtp:Security"] = "None",
        ["Notifications:Email:Smtp:TimeoutSeconds"] = "5",
    };

    public static Dictionary<string, string?> Gateway(FakeKavenegar gateway) => new()
    {
        ["Notifications:Sms:Kavenegar:ApiKey"] = "secret-test-key",
        ["Notifications:Sms:Kavenegar:Sender"] = "10004346",
        ["Notifications:Sms:Kavenegar:BaseUrl"] = gateway.BaseUrl,
    };

    public DateTimeOffset At(string jalali) =>
        InstantText.TryParse(jalali, Calendar.Clock, out var instant) ? instant : throw new FormatException(jalali);

    public Task<DueWorkReport> TickAsync(string jalali) => Step.RunAsync(At(jalali), "test");
}
