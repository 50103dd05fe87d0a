using System.Globalization;
using BatchEngine.Data.Calendar;
using static BatchEngine.Data.Calendar.PersianText;

namespace BatchEngine.Data.Returns;

/// <summary>
/// A rule refused the action; nothing was changed. <see cref="Exception.Message"/> is the English for logs and the
/// command line, <see cref="Persian"/> what a person reads on a page. Made only by <see cref="Refusals"/>.
/// </summary>
public sealed class WorkflowException : Exception
{
    internal WorkflowException(string english, string persian) : base(english) => Persian = persian;

    public string Persian { get; }
}

/// <summary>Every refusal of the workflow, the register's lifecycle and the calendar's changes, in both languages: the one place they are worded.</summary>
public static class Refusals
{
    public static WorkflowException NoSuchMove(ReturnState from, ReturnState to) => new(
        $"A return in state {from} cannot move to {to}.",
        $"اظهارنامه‌ای در وضعیت «{StateName(from)}» به «{StateName(to)}» نمی‌رود.");

    public static WorkflowException NotYourMove(ActorRole role, ReturnState from, ReturnState to, IEnumerable<ActorRole> by) => new(
        $"A {English(role)} cannot move a return from {from} to {to}; only a {string.Join(" or ", by.Select(English))} can.",
        $"بردن اظهارنامه از «{StateName(from)}» به «{StateName(to)}» کار {string.Join(" یا ", by.Select(RoleName))} است، نه {RoleName(role)}.");

    public static WorkflowException ReasonRequired(ReturnState from, ReturnState to) => new(
        $"Moving a return from {from} to {to} requires a reason.",
        $"برای بردن اظهارنامه از «{StateName(from)}» به «{StateName(to)}» نوشتن دلیل لازم است.");

    public static WorkflowException NotTheirUnit(Actor actor, long unitId) => new(
        $"{actor.Name} is not a liaison of unit {unitId}.",
        "این واحد در حوزهٔ شما نیست.");

    public static WorkflowException NotTheirProvince(Actor actor) => new(
        $"{actor.Name} acts for province {actor.ProvinceCode}; this return is not of that province.",
        "این واحد در استان شما نیست.");

    public static WorkflowException UnknownUnit(long unitId) => new(
        $"Unit {unitId.ToString(CultureInfo.InvariantCulture)} is not in the register.",
        "این واحد در شناسنامهٔ واحدها نیست.");

    public static WorkflowException PeriodNotOpen(JalaliPeriod period) => new(
        $"Period {period} is not open for returns.",
        $"دورهٔ {period.ToPersianDigits()} برای ثبت آمار باز نیست.");

    public static WorkflowException NotOwed(string licenceNo, JalaliPeriod period) => new(
        $"Unit {licenceNo} was closed before period {period} opened and does not report it; expected an active unit, or a period it still owes.",
        $"واحد {Digits(licenceNo)} پیش از آغاز دورهٔ {period.ToPersianDigits()} بسته شده است و آمار آن دوره را ندارد.");

    public static WorkflowException FiguresLocked(ReturnState state) => new(
        $"The figures of a return in state {state} may not change.",
        $"ارقام اظهارنامه‌ای در وضعیت «{StateName(state)}» دیگر تغییر نمی‌کند.");

    public static WorkflowException NoLongerDraft(ReturnState state) => new(
        $"A return in state {state} is no longer a draft: its figures change only by submitting them again.",
        $"اظهارنامه در وضعیت «{StateName(state)}» دیگر پیش‌نویس نیست: ارقام آن تنها با ارسال دوباره تغییر می‌کند.");

    public static WorkflowException UnknownReturn(long returnId) => new(
        $"Return {returnId.ToString(CultureInfo.InvariantCulture)} does not exist.",
        "این اظهارنامه وجود ندارد.");

    public static WorkflowException SubmitWithFigures() => new(
        "A return is submitted with its figures, not by a review action.",
        "اظهارنامه با ارقامش ارسال می‌شود، نه با اقدام بررسی.");

    public static WorkflowException UnregisteredProduct(string product, string licenceNo) => new(
        $"Product {product} is not one of unit {licenceNo}'s registered products.",
        $"کالای {Digits(product)} از کالاهای ثبت‌شدهٔ واحد {Digits(licenceNo)} نیست.");

    public static WorkflowException ProductTwice(string product) => new(
        $"Product {product} appears more than once in the return.",
        $"کالای {Digits(product)} بیش از یک بار در اظهارنامه آمده است.");

    public static WorkflowException NegativeFigures(string product) => new(
        $"The figures of product {product} must not be negative.",
        $"ارقام کالای {Digits(product)} نباید منفی باشد.");

    public static WorkflowException NegativeEmployees() => new(
        "The number of employees must not be negative.",
        "تعداد کارکنان نباید منفی باشد.");

    public static WorkflowException NotForUnitLifecycle() => new(
        "Only a provincial expert or the ministry can close or reopen a unit.",
        "بستن و بازگشایی واحد کار کارشناس استان یا وزارت است.");

    public static WorkflowException LifecycleNeedsReason() => new(
        "Closing or reopening a unit requires a reason.",
        "برای بستن یا بازگشایی واحد نوشتن دلیل لازم است.");

    public static WorkflowException AlreadyClosed(string licenceNo) => new(
        $"Unit {licenceNo} is already closed.",
        $"واحد {Digits(licenceNo)} از پیش بسته است.");

    public static WorkflowException NotClosed(string licenceNo) => new(
        $"Unit {licenceNo} is not closed.",
        $"واحد {Digits(licenceNo)} بسته نیست.");

    public static WorkflowException NotTheirClosures(Actor actor, string province) => new(
        $"{actor.Name} may not record closures of province {province}: only its own experts and the ministry.",
        "ثبت تعطیلی ادارات یک استان در اختیار کارشناسان همان استان و وزارت است.");

    public static WorkflowException ClosureNeedsReason() => new(
        "A closure needs its reason (the governor's decision).",
        "برای تعطیلی، دلیل آن (مصوبهٔ استانداری) را بنویسید.");

    public static WorkflowException NotForExtensions() => new(
        "Only a provincial expert can extend a unit's deadline.",
        "تمدید مهلت واحد کار کارشناس استان است.");

    public static WorkflowException ExtensionNeedsReason() => new(
        "A deadline extension requires a reason.",
        "برای تمدید مهلت نوشتن دلیل لازم است.");

    public static WorkflowException ExtensionTooEarly(DateTime periodLateFrom) => new(
        $"An extension must end after the period's own deadline ({periodLateFrom.ToString("u", CultureInfo.InvariantCulture)}).",
        "مهلت تمدیدشده باید پس از مهلت خود دوره پایان یابد.");

    /// <summary>The Persian name of a return's state: the one the pages show too.</summary>
    public static string StateName(ReturnState state) => state switch
    {
        ReturnState.Draft => "پیش‌نویس",
        ReturnState.Submitted => "ارسال‌شده به کارشناس استان",
        ReturnState.ReturnedByProvince => "برگشت از استان برای اصلاح",
        ReturnState.ForwardedToMinistry => "ارجاع به کارشناس وزارت",
        ReturnState.ReturnedByMinistry => "برگشت از وزارت",
        ReturnState.Registered => "ثبت نهایی",
        _ => state.ToString(),
    };

    private static string RoleName(ActorRole role) => role switch
    {
        ActorRole.Liaison => "رابط واحد",
        ActorRole.ProvincialOffice => "بارگذاری دفتر استان",
        ActorRole.ProvincialExpert => "کارشناس استان",
        ActorRole.MinistryExpert => "کارشناس وزارت",
        _ => role.ToString(),
    };

    private static string English(ActorRole role) => role switch
    {
        ActorRole.Liaison => "liaison",
        ActorRole.ProvincialOffice => "provincial office upload",
        ActorRole.ProvincialExpert => "provincial expert",
        ActorRole.MinistryExpert => "ministry expert",
        _ => role.ToString(),
    };
}
