using BatchEngine.Data.Calendar;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Notifications;
using BatchEngine.Jobs.Statistics;
using BatchEngine.Tests.Infrastructure;
using NetArchTest.Rules;

namespace BatchEngine.Tests;

/// <summary>
/// The business rules stay pure (issue #18): the calendar, the return workflow and outlier rule, the imputation and
/// the contact rules reference no database, web, Hangfire or Quartz package, nor the product's database access, so they
/// run and are tested without any of them.
/// </summary>
[Category(Categories.Rules)]
public sealed class ArchitectureTests
{
    private static readonly string[] Forbidden =
    [
        "Dapper", "Npgsql", "Microsoft.Data.Sqlite", "System.Data.Common", "Hangfire", "Quartz", "Microsoft.AspNetCore",
        "BatchEngine.Data.Database", "BatchEngine.Jobs.Hosting",
    ];

    /// <summary>The rules' homes (README, "Where each rule lives").</summary>
    private static readonly Type[] Rules =
    [
        typeof(JalaliPeriod), typeof(JalaliDate), typeof(TehranClock), typeof(ReportingCalendar), typeof(HolidayCalendar), typeof(ReviewDeadline),
        typeof(PersianText), typeof(InstantText), typeof(ReturnWorkflow), typeof(OutlierRule), typeof(Actor), typeof(Imputation),
        typeof(StatisticsTable), typeof(StatisticsCell), typeof(Figure), typeof(EmailAddress), typeof(MobileNumber), typeof(SmsWindow), typeof(BatchEngine.Jobs.Engine.RetryBackoff),
    ];

    [TestCaseSource(nameof(Rules))]
    public void A_rule_references_no_storage_web_or_scheduler(Type rule)
    {
        var result = Types.InAssembly(rule.Assembly).That().HaveName(rule.Name).And().ResideInNamespace(rule.Namespace!)
            .ShouldNot().HaveDependencyOnAny(Forbidden).GetResult();

        Assert.That(result.IsSuccessful, $"{rule.Name} depends on one of {string.Join(", ", Forbidden)}");
    }

    /// <summary>Periods, dates and Persian text in <c>Data</c> (the store speaks of them); the deadline rules in <c>Jobs</c>.</summary>
    [TestCase(typeof(JalaliPeriod))]
    [TestCase(typeof(ReportingCalendar))]
    public void The_whole_calendar_folder_but_its_configuration_watcher_is_pure(Type folder)
    {
        var result = Types.InAssembly(folder.Assembly).That().ResideInNamespace(folder.Namespace!)
            .And().DoNotHaveName(nameof(CalendarSource))
            .ShouldNot().HaveDependencyOnAny(Forbidden).GetResult();

        Assert.That(result.FailingTypeNames ?? [], Is.Empty);
    }
}
