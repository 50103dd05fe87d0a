using BatchEngine.Data;
using BatchEngine.Jobs.Engine;

namespace BatchEngine.Jobs.Notifications;

/// <summary>The <c>Notifications</c> section: how reminders go out, how they are batched and retried.</summary>
public sealed class NotificationOptions
{
    public EmailOptions Email { get; set; } = new();
    public SmsOptions Sms { get; set; } = new();

    /// <summary>Messages claimed by one send job.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Messages in flight at once within a job (SMTP connections, gateway requests).</summary>
    public int Parallelism { get; set; } = 4;

    /// <summary>
    /// How many of a connection's sent messages may wait to be recorded (the batch records them by group commit). A
    /// sender killed before recording sends those a second time after a restart: the bound on repeats is
    /// Workers × Parallelism × MarkEvery.
    /// </summary>
    public int MarkEvery { get; set; } = 2;

    public int MaxAttempts { get; set; } = 5;
    public int RetryBaseSeconds { get; set; } = 30;

    /// <summary>How long a claimed message may stay unsent before another sender takes it over (a killed sender).</summary>
    public int ClaimLeaseSeconds { get; set; } = 60;

    /// <summary>Overdue notices are written in this many days after a deadline; later, a restarted engine does not send stale ones.</summary>
    public int OverdueWindowDays { get; set; } = 7;

    /// <summary>Experts' daily digests are written from this Tehran time, for this many days after a deadline.</summary>
    public string DigestTime { get; set; } = "09:00";
    public int DigestWindowDays { get; set; } = 30;

    public TimeSpan RetryDelay(int attempts) => RetryBackoff.After(RetryBaseSeconds, attempts);

    public IEnumerable<string> Problems() => SettingProblem.Found(
        SettingProblem.Range("Notifications:BatchSize", BatchSize, 1, 100_000),
        SettingProblem.Range("Notifications:Parallelism", Parallelism, 1, 64),
        SettingProblem.Range("Notifications:MarkEvery", MarkEvery, 1, 1000),
        SettingProblem.Range("Notifications:MaxAttempts", MaxAttempts, 1, 100),
        SettingProblem.Range("Notifications:RetryBaseSeconds", RetryBaseSeconds, 1, 86_400),
        SettingProblem.Range("Notifications:ClaimLeaseSeconds", ClaimLeaseSeconds, 1, 86_400),
        SettingProblem.Range("Notifications:OverdueWindowDays", OverdueWindowDays, 0, 366),
        SettingProblem.TimeOfDay("Notifications:DigestTime", DigestTime),
        SettingProblem.Range("Notifications:DigestWindowDays", DigestWindowDays, 0, 366),
        SettingProblem.TimeOfDay("Notifications:Sms:WindowStart", Sms.WindowStart),
        SettingProblem.TimeOfDay("Notifications:Sms:WindowEnd", Sms.WindowEnd),
        SettingProblem.Range("Notifications:Email:Smtp:Port", Email.Smtp.Port, 1, 65_535),
        SettingProblem.Range("Notifications:Email:Smtp:TimeoutSeconds", Email.Smtp.TimeoutSeconds, 1, 3600),
        SettingProblem.Range("Notifications:Sms:Kavenegar:TimeoutSeconds", Sms.Kavenegar.TimeoutSeconds, 1, 3600));
}

public sealed class EmailOptions
{
    public string From { get; set; } = "آمار تولید <amar@example.com>";
    public SmtpOptions Smtp { get; set; } = new();
}

/// <summary>SMTP is switched on by a host; without one, e-mails are written as .eml files under the data folder.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;

    /// <summary>None, StartTls, StartTlsWhenAvailable, SslOnConnect or Auto (MailKit's SecureSocketOptions).</summary>
    public string Security { get; set; } = "StartTlsWhenAvailable";

    public string? UserName { get; set; }
    public string? Password { get; set; }
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>A session starts afresh after this many messages: servers limit how much one connection may carry.</summary>
    public int MaxMessagesPerConnection { get; set; } = 1000;
}

/// <summary>SMS is switched on by a gateway key; without one, messages are appended to a log file under the data folder.</summary>
public sealed class SmsOptions
{
    public KavenegarOptions Kavenegar { get; set; } = new();

    /// <summary>SMS go out only between these Tehran times; one due outside waits for the start.</summary>
    public string WindowStart { get; set; } = "08:00";
    public string WindowEnd { get; set; } = "21:00";
}

public sealed class KavenegarOptions
{
    public string? ApiKey { get; set; }
    public string? Sender { get; set; }
    public string BaseUrl { get; set; } = "https://api.kavenegar.com";
    public int TimeoutSeconds { get; set; } = 30;
}
