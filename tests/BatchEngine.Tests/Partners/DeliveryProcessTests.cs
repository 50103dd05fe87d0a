using System.Security.Cryptography;
using System.Text.Json;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Partners;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Engine;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Jobs.Partners;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Partners;

/// <summary>Deliveries as they run: the real program killed mid-transfer, the command line on demo data, the engine's schedule.</summary>
[Category(Categories.Process)]
public sealed class DeliveryProcessTests(string store) : StoreTest(store)
{
    [Test]
    public async Task A_delivery_killed_mid_transfer_is_sent_again_with_the_same_number_and_bytes_and_no_gap()
    {
        var fixture = await new DeliveryFixture(Database, TempDirectory).CreateAsync();
        var unit = await fixture.UnitAsync("23000001", "2394-01");
        await fixture.RegisterAsync(unit, new JalaliPeriod(1404, 6), ("2394-01", 1000m));
        await using var receiver = new HttpsReceiver { Hold = true };
        // Partner 0 of config/batchengine.json (customs) sent over HTTPS to the test's endpoint.
        var settings = new Dictionary<string, string?>
        {
            ["Partners:0:Transport:Kind"] = "Https", ["Partners:0:Transport:Url"] = receiver.Url,
            ["Partners:0:Transport:ServerCertificateSha256"] = receiver.CertificateSha256, ["Partners:0:Transport:TimeoutSeconds"] = "300",
        };
        string[] deliver = ["deliver", "--partner", "customs"];

        using (var killed = new WorkerProcess(DatabaseSetting, TempDirectory, settings, deliver))
        {
            await killed.WaitUntilAsync(() => Task.FromResult(receiver.Started >= 1), TimeSpan.FromMinutes(1), "the transfer to start", pollMilliseconds: 20);
            killed.Kill();
        }

        var store = new Deliveries(Database);
        var built = (await store.FindAsync("customs", 1))!;
        Assert.That((built.State, built.Attempts), Is.EqualTo((DeliveryState.Pending, 0)), "built, numbered, not yet delivered");
        var cutOff = (await store.AttemptsAsync(built.Id)).Single();
        Assert.That((cutOff.Succeeded, cutOff.Error), Is.EqualTo((false, Deliveries.Unfinished)), "the attempt the kill cut off shows");
        receiver.Hold = false;
        using (var rerun = new WorkerProcess(DatabaseSetting, TempDirectory, settings, deliver))
        {
            Assert.That(await rerun.WaitForExitAsync(TimeSpan.FromMinutes(1)), Is.Zero, rerun.Output);
            Assert.That(rerun.Output, Does.Contain("customs: delivery 1 (1 rows) sent"));
        }

        using (var again = new WorkerProcess(DatabaseSetting, TempDirectory, settings, deliver))
        {
            Assert.That(await again.WaitForExitAsync(TimeSpan.FromMinutes(1)), Is.Zero, again.Output);
            Assert.That(again.Output, Does.Contain("customs: nothing new to deliver"));
        }

        Assert.That((await store.PageAsync("customs", 1)).Total, Is.EqualTo(1), "no second number for the same figures");
        Assert.That((await store.AttemptsAsync(built.Id)).Select(a => a.Succeeded), Is.EqualTo(new[] { false, true }));
        var accepted = receiver.Accepted.Single();
        Assert.That(accepted.Key, Is.EqualTo("customs-1"));
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(accepted.Data)), Is.EqualTo(built.Sha256));
    }

    [Test]
    public async Task After_demo_data_a_delivery_writes_verifiable_files_for_every_partner_and_a_second_writes_nothing()
    {
        string[] common = ["--db", DatabaseSetting, "--data", TempDirectory];
        Assert.That((await CliRunner.RunAsync(["demo-data", "--units", "100", .. common])).ExitCode, Is.Zero);

        var first = await CliRunner.RunAsync(["deliver", .. common]);
        var second = await CliRunner.RunAsync(["deliver", .. common]);
        var list = await CliRunner.RunAsync(["deliveries", .. common]);

        Assert.That(first.ExitCode, Is.Zero, first.Error);
        var partners = new[] { "customs", "ime", "niopdc", "hamahang" };
        foreach (var partner in partners)
        {
            var manifests = Directory.GetFiles(Path.Combine(TempDirectory, "outbound", partner), "*.manifest.json");
            var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifests.Single())).RootElement;
            var data = await File.ReadAllBytesAsync(Path.Combine(TempDirectory, "outbound", partner, manifest.GetProperty("dataFile").GetString()!));
            Assert.That(manifest.GetProperty("sha256").GetString(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(data))), partner);
            var lines = System.Text.Encoding.UTF8.GetString(data).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            var header = partner == "niopdc" ? 0 : 1;
            Assert.That(manifest.GetProperty("rowCount").GetInt32(), Is.EqualTo(lines - header).And.GreaterThan(0), partner);
            Assert.That(first.Output, Does.Contain($"{partner}: delivery 1 ("));
            Assert.That(second.Output, Does.Contain($"{partner}: nothing new to deliver"));
        }

        Assert.That(list.Output, Does.Contain("customs").And.Contain("Delivered"));
    }

    [Test]
    public async Task The_engine_plans_each_partner_daily_and_delivers_once_per_slot()
    {
        var fixture = await new DeliveryFixture(Database, TempDirectory).CreateAsync();
        var unit = await fixture.UnitAsync("23000001", "2394-01");
        await fixture.RegisterAsync(unit, new JalaliPeriod(1404, 6), ("2394-01", 1000m));
        var engine = new EngineHarness(TempDirectory, DatabaseSetting);
        InstantText.TryParse("1404-08-02T02:20", engine.Calendar.Clock, out var at);

        var plan = new SchedulePlanner(CalendarSource.Fixed(engine.Calendar), engine.Settings.Partners).Plan(at);
        var first = await engine.Step.RunAsync(at, "test");
        var again = await engine.Step.RunAsync(at, "test");

        var customs = plan.Where(i => i.Key.StartsWith("customs/", StringComparison.Ordinal)).ToList();
        Assert.That(customs.Select(i => i.Key).First(), Is.EqualTo("customs/1404-08-02"), "the latest slot, then a week ahead");
        Assert.That(customs, Has.Count.EqualTo(SchedulePlanner.DeliveryDaysAhead + 1));
        Assert.That(customs.Select(i => i.Group), Has.All.EqualTo(PlannedInstant.Deliveries));
        Assert.That(first.Deliveries.Select(d => d.English), Has.Some.StartsWith("customs: delivery 1 (1 rows) sent"));
        Assert.That(first.Deliveries.Select(d => d.Persian), Has.Some.StartsWith("گمرک جمهوری اسلامی ایران: بستهٔ ۱ (۱ ردیف) فرستاده شد"));
        Assert.That(first.Deliveries.Select(d => d.English), Has.None.StartsWith("niopdc"), "no petroleum product registered: the oil company gets nothing");
        Assert.That(again.Deliveries, Is.Empty, "the same slot runs once");
    }
}
