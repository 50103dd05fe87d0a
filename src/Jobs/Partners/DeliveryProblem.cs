using System.Net.Sockets;
using BatchEngine.Data.Calendar;
using Renci.SshNet.Common;

namespace BatchEngine.Jobs.Partners;

/// <summary>A delivery the product itself refuses to make (a wrong host key, no credentials, a changed archive), said in both languages.</summary>
public sealed class DeliveryRefusedException(string message, string persian) : Exception(message)
{
    public string Persian { get; } = persian;
}

/// <summary>
/// Why a delivery attempt failed, in Persian for the admin's page, told from the kind of failure (the English message
/// stays in the log, the attempt's record and <c>batchengine deliver --list</c>).
/// </summary>
public static class DeliveryProblem
{
    public static string Of(Exception failure) => failure switch
    {
        DeliveryRefusedException refused => refused.Persian,
        HttpRequestException { StatusCode: { } status } => $"سرور دستگاه همکار پاسخ خطا داد (کد {PersianText.Digits((int)status)})",
        SshAuthenticationException => "سرور SFTP دستگاه همکار نام کاربری یا کلید را نپذیرفت",
        TimeoutException or OperationCanceledException or SshOperationTimeoutException => "سرور دستگاه همکار به‌موقع پاسخ نداد",
        SocketException or HttpRequestException or SshConnectionException => "سرور دستگاه همکار در دسترس نبود یا اتصال قطع شد",
        UnauthorizedAccessException or IOException => "نوشتن یا خواندن پرونده‌های بسته ممکن نشد (دیسک یا پوشهٔ تحویل)",
        _ => "ارسال ناموفق بود؛ شرح فنی در گزارش کار موتور هست",
    };
}
