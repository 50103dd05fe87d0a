using BatchEngine.Data.Calendar;
using BatchEngine.Data.Notifications;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;

namespace BatchEngine.Dashboard;

/// <summary>The Persian words people see for the product's states.</summary>
public static class Labels
{
    public static string State(ReturnState state) => Refusals.StateName(state);

    public static string Stage(string stage) => stage switch
    {
        ReminderLedger.OverdueStage => "اعلام گذشت مهلت",
        _ when stage.StartsWith("reminder-", StringComparison.Ordinal) => "یادآوری " + BatchEngine.Data.Calendar.PersianText.Digits(stage["reminder-".Length..]),
        _ when stage.StartsWith(ReminderLedger.ManualPrefix, StringComparison.Ordinal) => "یادآوری کارشناس در " + BatchEngine.Data.Calendar.PersianText.Digits(stage[ReminderLedger.ManualPrefix.Length..]),
        _ => stage,
    };

    /// <summary>
    /// A planned instant of the engine as people read it, never its internal key ("1405-08/reminder-3",
    /// "customs/1405-09-10"); a partner by its title.
    /// </summary>
    public static string Planned(string group, string key, IReadOnlyList<Jobs.Partners.PartnerOptions> partners)
    {
        if (group == Jobs.Engine.PlannedInstant.Deliveries)
        {
            var name = key.Split('/')[0];
            return "ارسال دسته‌ای آمار به " + (partners.FirstOrDefault(p => p.Name == name)?.Title ?? name);
        }

        var (period, step) = key.Split('/') is [var p, var s] ? (Persian.Period(p), s) : ("", key);
        return step switch
        {
            "open" => "آغاز دوره " + period,
            "deadline" => "پایان مهلت " + period + " (پرچم، اعلام گذشت مهلت، گزارش روزانه)",
            _ => Stage(step) + " — " + period,
        };
    }

    /// <summary>What started a run of the step: a planned instant, the hourly sweep or the command line.</summary>
    public static string RunSource(string source, IReadOnlyList<Jobs.Partners.PartnerOptions> partners) => source switch
    {
        "tick" => "اجرای دستی (خط فرمان)",
        Jobs.Engine.SweepJob.Id => "بازبینی ساعتی",
        _ when source.StartsWith("quartz ", StringComparison.Ordinal) && source[7..] is var key =>
            Planned(BatchEngine.Data.Calendar.JalaliPeriod.TryParse(key.Split('/')[0], out _) ? Jobs.Engine.PlannedInstant.Calendar : Jobs.Engine.PlannedInstant.Deliveries, key, partners),
        _ => "دیگر",
    };

    public static string PartnerFormat(Jobs.Partners.DeliveryFormat format) => format switch
    {
        Jobs.Partners.DeliveryFormat.SdmxCsv => "SDMX-CSV",
        _ => "CSV",
    };

    public static string Transport(Jobs.Partners.TransportKind kind) => kind switch
    {
        Jobs.Partners.TransportKind.Sftp => "SFTP",
        Jobs.Partners.TransportKind.Https => "HTTPS",
        _ => "پوشهٔ مشترک",
    };

    public static string UnitStatus(Data.Register.UnitStatus status) => status switch
    {
        Data.Register.UnitStatus.PossiblyInactive => "احتمالاً غیرفعال",
        Data.Register.UnitStatus.Closed => "بسته",
        _ => "فعال",
    };

    public static string Channel(Channel channel) => channel == Data.Notifications.Channel.Email ? "رایانامه" : "پیامک";

    public static string Delivery(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Pending => "در انتظار",
        DeliveryStatus.Sending => "در حال ارسال",
        DeliveryStatus.Sent => "ارسال‌شده",
        DeliveryStatus.Failed => "ناموفق",
        DeliveryStatus.Invalid => "نشانی نامعتبر",
        _ => "لازم نشد",
    };

    public static string Role(ActorRole role) => role switch
    {
        ActorRole.Liaison => "رابط واحد",
        ActorRole.ProvincialOffice => "دفتر استان",
        ActorRole.ProvincialExpert => "کارشناس استان",
        ActorRole.MinistryExpert => "کارشناس وزارت",
        _ => role.ToString(),
    };

    /// <summary>How figures were saved: the liaison's form, or an office's upload "upload N".</summary>
    public static string FigureSource(string source) =>
        source == FigureVersions.Form ? "فرم رابط" : source.StartsWith("upload ", StringComparison.Ordinal) ? "بارگذاری فایل " + PersianText.Digits(source[7..]) : source;

    public static string Figure(string figure) => figure switch
    {
        "production" => "تولید",
        "sales" => "فروش",
        "export_qty" => "صادرات",
        "export_value_usd" => "ارزش صادرات (دلار)",
        _ => "کارکنان",
    };

    /// <summary>A finding of the outlier rule as an arrow and a percentage: "↑ ۸۰٪", "↓ ۶۰٪", "↑ از صفر".</summary>
    public static string Outlier(OutlierFinding finding) =>
        (finding.Up ? "↑ " : "↓ ") + (finding.Change == decimal.MaxValue ? "از صفر" : Persian.Percent(Math.Abs(finding.Change)));

    public static string Against(OutlierReference reference) => reference switch
    {
        OutlierReference.SameMonthLastYear => "همان ماه سال قبل",
        OutlierReference.Capacity => "ظرفیت اسمی ماهانه (یک‌دوازدهم ظرفیت سالانهٔ پروانه)",
        _ => "میانگین ماه‌های قبل",
    };
}
