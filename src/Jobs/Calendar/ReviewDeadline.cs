using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Returns;

namespace BatchEngine.Jobs.Calendar;

/// <summary>When each level of review should be done (<c>Review</c> in the configuration).</summary>
public sealed class ReviewOptions
{
    /// <summary>Provincial experts review a period's returns by the end of this day of the month after the period.</summary>
    public int ProvincialDay { get; set; } = 15;

    /// <summary>The ministry registers or returns them by the end of this day of the month after the period.</summary>
    public int MinistryDay { get; set; } = 20;

    /// <summary>A return that reaches a queue later than that still gets this many whole days after the day it arrived.</summary>
    public int AtLeastDays { get; set; } = 3;

    public IEnumerable<string> Problems() => SettingProblem.Found(
        SettingProblem.Range("Review:ProvincialDay", ProvincialDay, 1, 31),
        SettingProblem.Range("Review:MinistryDay", MinistryDay, 1, 31),
        SettingProblem.Range("Review:AtLeastDays", AtLeastDays, 0, 31));
}

/// <summary>
/// The review deadline of a return waiting in an expert's queue: the level's day of the month after the period, or, for
/// a return that arrived late (submitted after the liaison's deadline, or returned by the ministry), a few days after
/// it arrived. It marks what is overdue in the queue and the digest; it moves nothing.
/// </summary>
public sealed class ReviewDeadline
{
    private readonly ReviewOptions _options;
    private readonly TehranClock _clock;

    public ReviewDeadline(ReviewOptions options, TehranClock clock)
    {
        if (options.Problems().FirstOrDefault() is { } problem)
        {
            throw new FormatException(problem);
        }

        _options = options;
        _clock = clock;
    }

    /// <summary>The level's last day of review for a period's returns that arrived in time.</summary>
    public JalaliDate Day(ActorRole reviewer, JalaliPeriod period) =>
        JalaliDate.DayOfMonthAfter(period, reviewer == ActorRole.MinistryExpert ? _options.MinistryDay : _options.ProvincialDay);

    /// <summary>The instant from which a return of <paramref name="period"/>, waiting on <paramref name="reviewer"/> since <paramref name="arrivedAt"/>, is overdue.</summary>
    public DateTimeOffset Due(ActorRole reviewer, JalaliPeriod period, DateTime arrivedAt)
    {
        var day = Day(reviewer, period);
        var atLeast = _clock.DateOf(new DateTimeOffset(DateTime.SpecifyKind(arrivedAt, DateTimeKind.Utc))).AddDays(_options.AtLeastDays);
        return _clock.After(day >= atLeast ? day : atLeast);
    }

    /// <summary>The last day of the review, for people: the day before <see cref="Due"/> begins.</summary>
    public JalaliDate LastDay(ActorRole reviewer, JalaliPeriod period, DateTime arrivedAt) => _clock.DateOf(Due(reviewer, period, arrivedAt)).AddDays(-1);
}
