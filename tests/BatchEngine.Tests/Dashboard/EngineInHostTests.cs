using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Tests.Calendar;
using BatchEngine.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BatchEngine.Tests.Dashboard;

/// <summary>The Dashboard host alone runs the engine: a reminder stage planned seconds ahead is written as .eml files.</summary>
[Category(Categories.Process)]
public sealed class EngineInHostTests
{
    [Test]
    public async Task A_reminder_stage_a_few_seconds_ahead_is_written_by_the_host_alone()
    {
        var data = Directory.CreateTempSubdirectory("batchengine-host-").FullName;
        try
        {
            InstantText.TryParse("1405-09-05T09:00", CalendarFixtures.Tehran, out var stage);
            var clock = ShiftedTime.StartingAt(stage.AddSeconds(-6), TimeProvider.System);
            await using var factory = new DashboardFactory(data, Path.Combine(data, "batchengine.db"), demoUnits: 150)
                .WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
            using var client = factory.CreateClient();
            Assert.That((await client.GetAsync("/health")).IsSuccessStatusCode);

            var folder = Path.Combine(data, "outbox", "email", "1405-08", "reminder-1");
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (!(Directory.Exists(folder) && Directory.GetFiles(folder, "*.eml").Length > 0 && File.Exists(Path.Combine(data, "outbox", "sms.log"))) && waited.Elapsed < TimeSpan.FromSeconds(90))
            {
                await Task.Delay(250);
            }

            // Nothing before the stage's instant, however slowly the host came up: the ledger says when the stage was written.
            await using (var connection = await BatchEngine.Data.Database.FromSetting(Path.Combine(data, "batchengine.db")).OpenAsync())
            {
                var written = await Dapper.SqlMapper.ExecuteScalarAsync<DateTime>(connection,
                    "SELECT MIN(created_at) FROM reminders WHERE period = '1405-08' AND stage = 'reminder-1'");
                Assert.That(new DateTimeOffset(BatchEngine.Data.Instants.AsUtc(written)), Is.GreaterThanOrEqualTo(stage));
            }

            var files = Directory.GetFiles(folder, "*.eml");
            Assert.That(files, Is.Not.Empty, "the host wrote the stage's e-mails");
            var mail = await MimeKit.MimeMessage.LoadAsync(files[0]);
            Assert.That(mail.Subject, Does.StartWith("یادآوری ثبت آمار تولید آبان ۱۴۰۵"));
            Assert.That(await File.ReadAllTextAsync(Path.Combine(data, "outbox", "sms.log")), Does.Contain("آبان ۱۴۰۵"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }
}
