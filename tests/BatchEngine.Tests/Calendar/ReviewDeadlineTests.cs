using BatchEngine.Data.Calendar;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Calendar;

/// <summary>
/// The experts' review deadline (issue #17): the province by the end of the 15th of the month after the period, the
/// ministry by the 20th; a return arriving later still gets three whole days.
/// </summary>
[Category(Categories.Rules)]
public sealed class ReviewDeadlineTests
{
    private static readonly TehranClock Tehran = CalendarFixtures.Tehran;
    private readonly ReviewDeadline _deadline = new(new ReviewOptions(), Tehran);

    [Test]
    public void Each_level_has_its_day_of_the_month_after_the_period()
    {
        var arrived = Instant("1405-08-08T10:00");

        Assert.That(_deadline.Due(ActorRole.ProvincialExpert, new JalaliPeriod(1405, 7), arrived), Is.EqualTo(Tehran.At(new JalaliDate(1405, 8, 16), TimeOnly.MinValue)));
        Assert.That(_deadline.LastDay(ActorRole.ProvincialExpert, new JalaliPeriod(1405, 7), arrived), Is.EqualTo(new JalaliDate(1405, 8, 15)));
        Assert.That(_deadline.LastDay(ActorRole.MinistryExpert, new JalaliPeriod(1405, 7), arrived), Is.EqualTo(new JalaliDate(1405, 8, 20)));
    }

    [TestCase("1405-08-12T23:59", "1405-08-15", Description = "arrived in time: the day of the level")]
    [TestCase("1405-08-13T00:00", "1405-08-16", Description = "three whole days after the day it arrived")]
    [TestCase("1405-09-02T08:00", "1405-09-05", Description = "returned by the ministry a month later")]
    public void A_return_arriving_late_still_gets_three_days(string arrived, string lastDay) =>
        Assert.That(_deadline.LastDay(ActorRole.ProvincialExpert, new JalaliPeriod(1405, 7), Instant(arrived)), Is.EqualTo(JalaliDate.Parse(lastDay)));

    [Test]
    public void The_days_come_from_the_options_and_a_wrong_one_names_its_key()
    {
        var options = new ReviewOptions { ProvincialDay = 31, AtLeastDays = 0 };
        Assert.That(new ReviewDeadline(options, Tehran).LastDay(ActorRole.ProvincialExpert, new JalaliPeriod(1405, 7), Instant("1405-08-01T00:00")),
            Is.EqualTo(new JalaliDate(1405, 8, 30)), "Aban has 30 days: the last of them");

        var wrong = Assert.Throws<FormatException>(() => _ = new ReviewDeadline(new ReviewOptions { MinistryDay = 0 }, Tehran));
        Assert.That(wrong!.Message, Does.Contain("Review:MinistryDay is 0"));
    }

    private static DateTime Instant(string tehran)
    {
        var (date, time) = (tehran[..10], tehran[11..]);
        return Tehran.At(JalaliDate.Parse(date), TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture)).UtcDateTime;
    }
}
