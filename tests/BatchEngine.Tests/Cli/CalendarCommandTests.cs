using System.Text.Json;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Cli;

[Category(Categories.Process)]
public sealed class CalendarCommandTests
{
    [Test]
    public async Task Esfand_1403_as_json()
    {
        var result = await CliRunner.RunAsync("calendar", "--period", "1403-12", "--json");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        var json = JsonDocument.Parse(result.Output).RootElement;
        Assert.That(json.GetProperty("period").GetString(), Is.EqualTo("1403-12"));
        Assert.That(json.GetProperty("daysInMonth").GetInt32(), Is.EqualTo(30));
        Assert.That(json.GetProperty("opensAt").GetString(), Is.EqualTo("2025-03-20T00:00:00+03:30"));
        Assert.That(json.GetProperty("opensAtJalali").GetString(), Is.EqualTo("1403-12-30T00:00"));
        Assert.That(json.GetProperty("deadline").GetString(), Is.EqualTo("2025-03-30T23:59:59.999+03:30"));
        Assert.That(json.GetProperty("deadlineDay").GetString(), Is.EqualTo("1404-01-10"));
        Assert.That(json.GetProperty("reminders").EnumerateArray().Select(r => r.GetProperty("key").GetString()),
            Is.EqualTo(new[] { "1403-12/reminder-1", "1403-12/reminder-2", "1403-12/reminder-3" }));
        Assert.That(json.GetProperty("reminders")[0].GetProperty("at").GetString(), Is.EqualTo("2025-03-25T09:00:00+03:30"));
    }

    [Test]
    public async Task Shahrivar_1404_as_text()
    {
        var result = await CliRunner.RunAsync("calendar", "--period", "1404-06");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Contain("2025-09-22T00:00:00+03:30").And.Contain("2025-10-02T23:59:59.999+03:30").And.Contain("1404-07-10"));
    }

    [Test]
    public async Task A_holiday_shift_is_explained()
    {
        var result = await CliRunner.RunAsync("calendar", "--period", "1404-05", "--json");
        var json = JsonDocument.Parse(result.Output).RootElement;
        Assert.That(json.GetProperty("deadlineDay").GetString(), Is.EqualTo("1404-06-11"));
        Assert.That(json.GetProperty("shiftedBecause")[0].GetString(), Does.StartWith("1404-06-10"));
    }

    [TestCase(new[] { "calendar", "--period", "1404-13" }, "'1404-13' is not a period")]
    [TestCase(new[] { "calendar" }, "needs --period")]
    [TestCase(new[] { "calendar", "--period", "1404-01", "--frobnicate", "x" }, "does not take --frobnicate")]
    [TestCase(new[] { "frobnicate" }, "Unknown command 'frobnicate'")]
    [TestCase(new[] { "demo-data", "--units", "many" }, "--units 'many' is not a whole number")]
    public async Task A_mistake_is_one_sentence_and_a_non_zero_exit(string[] args, string message)
    {
        var result = await CliRunner.RunAsync(args);
        Assert.That(result.ExitCode, Is.Not.EqualTo(0));
        Assert.That(result.Error, Does.Contain(message));
        Assert.That(result.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
    }
}
