using BatchEngine.Data.Returns;

namespace BatchEngine.Dashboard;

/// <summary>The Persian words people see for the product's states.</summary>
public static class Labels
{
    public static string State(ReturnState state) => state switch
    {
        ReturnState.Draft => "پیش‌نویس",
        ReturnState.Submitted => "ارسال‌شده به کارشناس استان",
        ReturnState.ReturnedByProvince => "برگشت از استان برای اصلاح",
        ReturnState.ForwardedToMinistry => "ارجاع به کارشناس وزارت",
        ReturnState.ReturnedByMinistry => "برگشت از وزارت",
        ReturnState.Registered => "ثبت نهایی",
        _ => state.ToString(),
    };
}
