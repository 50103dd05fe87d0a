using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Calendar;

[Category(Categories.Rules)]
public sealed class JalaliPeriodTests
{
    // The official calendar's leap years (Esfand has 30 days) between 1395 and 1420.
    private static readonly int[] LeapYears = [1395, 1399, 1403, 1408, 1412, 1416, 1420];

    [TestCase("1404-07", 1404, 7)]
    [TestCase("1404/07", 1404, 7)]
    [TestCase("1404-7", 1404, 7)]
    [TestCase(" ۱۴۰۴-۰۷ ", 1404, 7)]
    [TestCase("١٤٠٤/١٢", 1404, 12)]
    public void Parses_the_accepted_spellings(string text, int year, int month)
    {
        Assert.That(JalaliPeriod.Parse(text), Is.EqualTo(new JalaliPeriod(year, month)));
    }

    [TestCase("1405-09-15", 1405, 9, 15)]
    [TestCase("۱۴۰۵/۰۹/۱۵", 1405, 9, 15)]
    [TestCase("\u200F۱۴۰۵/۹/۱۵\u200F", 1405, 9, 15)]
    [TestCase("1405–09–15", 1405, 9, 15)]
    [TestCase("١٤٠٥/١٢/٢٩", 1405, 12, 29)]
    public void A_day_is_read_as_people_type_it(string text, int year, int month, int day) =>
        Assert.That(JalaliDate.TryParse(text, out var date) ? date : default, Is.EqualTo(new JalaliDate(year, month, day)));

    [TestCase("1405-09-31")]
    [TestCase("1405-9999999999-1")]
    [TestCase("1405/09")]
    [TestCase("۱۴۰۵-۰۹-۱۵T۰۰:۰۰")]
    public void What_is_not_a_day_is_refused_without_a_crash(string text) =>
        Assert.That(JalaliDate.TryParse(text, out _), Is.False);

    [TestCase("1404-13")]
    [TestCase("1404-00")]
    [TestCase("14-07")]
    [TestCase("1404-07-01")]
    [TestCase("")]
    [TestCase("October")]
    public void Refuses_what_is_not_a_period_with_the_value_and_the_expected_form(string text)
    {
        var error = Assert.Throws<FormatException>(() => JalaliPeriod.Parse(text))!;
        Assert.That(error.Message, Does.Contain($"'{text}'").And.Contain("1404-07"));
    }

    [Test]
    public void Month_lengths_follow_the_official_calendar_from_1395_to_1420()
    {
        for (var year = 1395; year <= 1420; year++)
        {
            for (var month = 1; month <= 12; month++)
            {
                var expected = month <= 6 ? 31 : month <= 11 ? 30 : LeapYears.Contains(year) ? 30 : 29;
                Assert.That(new JalaliPeriod(year, month).DaysInMonth, Is.EqualTo(expected), $"{year}-{month:D2}");
            }
        }
    }

    [Test]
    public void Consecutive_periods_meet_without_gap_across_year_ends()
    {
        for (var period = new JalaliPeriod(1395, 1); period < new JalaliPeriod(1420, 12); period = period.Next)
        {
            var dayAfterLast = period.LastDay.ToGregorian().AddDays(1);
            Assert.That(period.Next.FirstDay.ToGregorian(), Is.EqualTo(dayAfterLast), period.ToString());
            Assert.That(period.Next.Previous, Is.EqualTo(period));
        }
    }

    [Test]
    public void Known_dates_convert_both_ways()
    {
        Assert.That(new JalaliDate(1404, 1, 1).ToGregorian(), Is.EqualTo(new DateOnly(2025, 3, 21)));
        Assert.That(new JalaliDate(1403, 12, 30).ToGregorian(), Is.EqualTo(new DateOnly(2025, 3, 20)));
        Assert.That(JalaliDate.FromGregorian(new DateOnly(2026, 11, 25)), Is.EqualTo(new JalaliDate(1405, 9, 4)));
        Assert.That(new JalaliDate(1404, 7, 10).DayOfWeek, Is.EqualTo(DayOfWeek.Thursday));
    }

    [Test]
    public void Esfand_30_exists_only_in_leap_years()
    {
        Assert.That(() => new JalaliDate(1404, 12, 30), Throws.TypeOf<FormatException>().With.Message.Contains("1404-12-30"));
        Assert.That(new JalaliDate(1403, 12, 30).ToString(), Is.EqualTo("1403-12-30"));
    }

    [Test]
    public void Last_periods_end_with_the_period_itself_oldest_first()
    {
        Assert.That(new JalaliPeriod(1405, 2).LastPeriods(3).Select(p => p.ToString()),
            Is.EqualTo(new[] { "1404-12", "1405-01", "1405-02" }));
    }

    [Test]
    public void Persian_spelling_uses_month_names_and_persian_digits()
    {
        Assert.That(new JalaliPeriod(1404, 7).ToPersian(), Is.EqualTo("مهر ۱۴۰۴"));
        Assert.That(new JalaliDate(1404, 7, 10).ToPersian(), Is.EqualTo("پنجشنبه ۱۰ مهر ۱۴۰۴"));
        Assert.That(PersianText.Number(1234567.5m), Is.EqualTo("۱٬۲۳۴٬۵۶۷٫۵"));
    }
}
