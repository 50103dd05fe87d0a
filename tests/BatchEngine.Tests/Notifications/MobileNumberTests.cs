using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Notifications;
using BatchEngine.Tests.Calendar;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Notifications;

[Category(Categories.Rules)]
public sealed class MobileNumberTests
{
    [TestCase("09121234567", "09121234567")]
    [TestCase("+989121234567", "09121234567")]
    [TestCase("00989121234567", "09121234567")]
    [TestCase("989121234567", "09121234567")]
    [TestCase("9121234567", "09121234567")]
    [TestCase("۰۹۱۲۱۲۳۴۵۶۷", "09121234567")]
    [TestCase("٠٩١٢١٢٣٤٥٦٧", "09121234567")]
    [TestCase(" 0912 123 4567 ", "09121234567")]
    [TestCase("0912-123-4567", "09121234567")]
    public void Normalises_the_usual_spellings(string text, string expected) => Assert.That(MobileNumber.Normalise(text), Is.EqualTo(expected));

    [TestCase("02112345678")]
    [TestCase("0912123456")]
    [TestCase("091212345678")]
    [TestCase("12345")]
    [TestCase("0912a234567")]
    [TestCase("+1 212 555 0100")]
    [TestCase("")]
    [TestCase(null)]
    public void Refuses_what_is_not_an_iranian_mobile(string? text) => Assert.That(MobileNumber.Normalise(text), Is.Null);
}

[Category(Categories.Rules)]
public sealed class SmsWindowTests
{
    private static readonly SmsWindow Window = new(new SmsOptions(), CalendarFixtures.Tehran);

    private static DateTimeOffset At(string jalali) =>
        InstantText.TryParse(jalali, CalendarFixtures.Tehran, out var instant) ? instant : throw new FormatException(jalali);

    [TestCase("1404-08-05T09:00", "1404-08-05T09:00")]
    [TestCase("1404-08-05T08:00", "1404-08-05T08:00")]
    [TestCase("1404-08-05T07:59", "1404-08-05T08:00")]
    [TestCase("1404-08-05T20:59", "1404-08-05T20:59")]
    [TestCase("1404-08-05T21:00", "1404-08-06T08:00")]
    [TestCase("1404-08-05T23:30", "1404-08-06T08:00")]
    [TestCase("1404-12-29T22:00", "1405-01-01T08:00")]
    public void Sms_wait_for_08_00_tehran(string due, string allowed) => Assert.That(Window.NextAllowed(At(due)), Is.EqualTo(At(allowed)));
}
