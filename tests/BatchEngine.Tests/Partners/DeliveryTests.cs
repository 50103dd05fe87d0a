using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Partners;
using BatchEngine.Jobs.Partners;
using BatchEngine.Jobs.Statistics;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Partners;

/// <summary>The delivery rules of partners.md with real files, a real SFTP server and a real HTTPS endpoint, on each store.</summary>
[Category(Categories.Process)]
public sealed class DeliveryTests(string store) : StoreTest(store)
{
    private DeliveryFixture _fixture = null!;
    private long _cement;
    private long _refinery;

    [SetUp]
    public async Task SeedAsync()
    {
        _fixture = await new DeliveryFixture(Database, TempDirectory).CreateAsync();
        _cement = await _fixture.UnitAsync("23000001", "2394-01", "2410-02");
        _refinery = await _fixture.UnitAsync("23000002", "1920-03");
    }

    private string Outbound(string partner) => Path.Combine(TempDirectory, "outbound", partner);

    [Test]
    public async Task Each_delivery_is_numbered_checksummed_and_carries_only_what_is_new_with_corrections_as_replacements()
    {
        var partner = DeliveryFixture.Partner("customs", DeliveryFormat.SdmxCsv);
        var first = await _fixture.RegisterAsync(_cement, new JalaliPeriod(1404, 6), ("2394-01", 1000m), ("2410-02", 20m));

        var one = (await _fixture.Delivery.RunAsync(partner, DeliveryFixture.Now)).Single();
        var nothing = await _fixture.Delivery.RunAsync(partner, DeliveryFixture.Now);
        await _fixture.RegisterAsync(_refinery, new JalaliPeriod(1404, 7), ("1920-03", 7m));
        var two = (await _fixture.Delivery.RunAsync(partner, DeliveryFixture.Now)).Single();
        await _fixture.CorrectAsync(first, ("2394-01", 1100m), ("2410-02", 20m));
        var three = (await _fixture.Delivery.RunAsync(partner, DeliveryFixture.Now)).Single();

        Assert.That(nothing, Is.Empty, "nothing new, nothing sent");
        Assert.That(new[] { one, two, three }.Select(o => (o.Sequence, o.Rows, o.Error)), Is.EqualTo(new[] { (1, 2, (string?)null), (2, 1, null), (3, 2, null) }));
        Assert.That(Directory.GetFiles(Outbound("customs")).Select(Path.GetFileName).Order(), Is.EqualTo(new[]
        {
            "customs-000001.manifest.json", "customs-000001.sdmx.csv", "customs-000002.manifest.json", "customs-000002.sdmx.csv",
            "customs-000003.manifest.json", "customs-000003.sdmx.csv",
        }));
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Outbound("customs"), $"customs-{sequence:D6}.manifest.json"))).RootElement;
            var data = await File.ReadAllBytesAsync(Path.Combine(Outbound("customs"), manifest.GetProperty("dataFile").GetString()!));
            Assert.That(manifest.GetProperty("sha256").GetString(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(data))));
            Assert.That(manifest.GetProperty("rowCount").GetInt32(), Is.EqualTo(Encoding.UTF8.GetString(data).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1));
            Assert.That(manifest.GetProperty("sequence").GetInt32(), Is.EqualTo(sequence));
        }

        var corrected = (await File.ReadAllLinesAsync(Path.Combine(Outbound("customs"), "customs-000003.sdmx.csv"))).Skip(1).ToList();
        Assert.That(corrected, Has.All.StartsWith("dataflow,IR_MIMT:DF_INDUSTRIAL_PRODUCTION(1.0),R,tehran,"), "a correction replaces the earlier figures");
        Assert.That(corrected[0], Does.Contain(",2394-01,2025-08-23/P31D,1100,"), "Shahrivar 1404 as a Gregorian range");
        var firstRows = (await File.ReadAllLinesAsync(Path.Combine(Outbound("customs"), "customs-000001.sdmx.csv")));
        Assert.That(firstRows[0], Is.EqualTo("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,ACTIVITY,REPORTING_UNIT,PRODUCT,TIME_PERIOD,PRODUCTION,SALES,EXPORT_QTY,EXPORT_VALUE_USD"));
        Assert.That(firstRows.Skip(1), Has.All.Contains(",A,"));
        Assert.That(Directory.GetFiles(Outbound("customs"), "*.tmp"), Is.Empty);
    }

    [Test]
    public async Task A_partner_receives_only_its_products_and_fields_in_its_format()
    {
        await _fixture.RegisterAsync(_cement, new JalaliPeriod(1404, 6), ("2394-01", 1000m), ("2410-02", 20m));
        await _fixture.RegisterAsync(_refinery, new JalaliPeriod(1404, 6), ("1920-03", 7.5m));
        var oil = DeliveryFixture.Partner("niopdc", DeliveryFormat.JsonLines);
        oil.Isic = ["1920"];
        oil.Fields = ["production", "sales"];
        var exchange = DeliveryFixture.Partner("ime");
        exchange.Products = ["2394-01"];
        exchange.Isic = ["2410"];

        await _fixture.Delivery.RunAsync(oil, DeliveryFixture.Now);
        await _fixture.Delivery.RunAsync(exchange, DeliveryFixture.Now);

        var oilRow = JsonDocument.Parse((await File.ReadAllLinesAsync(Path.Combine(Outbound("niopdc"), "niopdc-000001.jsonl"))).Single()).RootElement;
        Assert.That(oilRow.GetProperty("product_code").GetString(), Is.EqualTo("1920-03"));
        Assert.That(oilRow.GetProperty("production").GetDecimal(), Is.EqualTo(7.5m));
        Assert.That(oilRow.GetProperty("sales").GetDecimal(), Is.EqualTo(3.75m));
        Assert.That(oilRow.TryGetProperty("export_qty", out _), Is.False, "only the partner's fields");
        Assert.That(oilRow.GetProperty("period_start").GetString(), Is.EqualTo("2025-08-23"));
        var csv = await File.ReadAllLinesAsync(Path.Combine(Outbound("ime"), "ime-000001.csv"));
        Assert.That(csv[0], Is.EqualTo("action,period,period_start,period_end,province,licence_no,unit_name,isic,product_code,product_name,unit_of_measure,production,sales,export_qty,export_value_usd,registered_at"));
        Assert.That(csv.Skip(1).Select(l => l.Split(',')[8]), Is.EqualTo(new[] { "2394-01", "2410-02" }));
    }

    [Test]
    public async Task Each_publication_of_the_statistics_goes_once_to_a_partner_that_takes_them_and_a_failure_holds_back_the_next()
    {
        await using var receiver = new HttpsReceiver();
        var partner = DeliveryFixture.Partner("hamahang", DeliveryFormat.SdmxCsv, new PartnerTransportOptions
        {
            Kind = TransportKind.Https, Url = receiver.Url, Token = "partner-token", ServerCertificateSha256 = receiver.CertificateSha256, TimeoutSeconds = 10,
        });
        partner.Statistics = true;
        var customs = DeliveryFixture.Partner("customs");
        await _fixture.RegisterAsync(_cement, new JalaliPeriod(1404, 6), ("2394-01", 1000m));
        var publishing = new StatisticsPublishing(Database, DeliveryFixture.Statistics);
        await publishing.PublishAsync(new BatchEngine.Data.Calendar.JalaliPeriod(1404, 6), provisional: false, "وزارت", DeliveryFixture.Now.UtcDateTime);
        receiver.FailNext(2);

        var first = await _fixture.Delivery.RunAsync(partner, DeliveryFixture.Now);
        await publishing.PublishAsync(new BatchEngine.Data.Calendar.JalaliPeriod(1404, 6), provisional: false, "وزارت", DeliveryFixture.Now.UtcDateTime.AddHours(1));
        var second = await _fixture.Delivery.RunAsync(partner, DeliveryFixture.Now);
        var third = await _fixture.Delivery.RunAsync(partner, DeliveryFixture.Now);
        var nothing = await _fixture.Delivery.RunAsync(partner, DeliveryFixture.Now);
        var notForCustoms = await _fixture.Delivery.RunAsync(customs, DeliveryFixture.Now);

        Assert.That(first.Select(o => (o.Sequence, o.Error is null)), Is.EqualTo(new[] { (1, false) }), "the registered figures first; they fail");
        Assert.That(second.Select(o => (o.Sequence, o.Error is null)), Is.EqualTo(new[] { (1, false) }), "the publication waits behind them");
        Assert.That(third.Select(o => (o.Sequence, o.Error)), Is.EqualTo(new[] { (1, (string?)null), (2, null), (3, null) }));
        Assert.That(nothing, Is.Empty, "each publication goes once");
        Assert.That(notForCustoms.Select(o => o.Sequence), Is.EqualTo(new[] { 1 }), "a partner without Statistics gets only the registered figures");
        var tables = receiver.Received.Where(r => r.Answered == 201).Skip(1).Select(r => Encoding.UTF8.GetString(r.Data)).ToList();
        Assert.That(tables, Has.Count.EqualTo(2));
        Assert.That(tables[0], Does.StartWith("STRUCTURE,STRUCTURE_ID,ACTION,TIME_PERIOD,REF_AREA,PRODUCT,MEASURE,OBS_VALUE,UNIT_MEASURE,OBS_STATUS\n"));
        Assert.That(tables[0], Does.Contain(",A,").And.Contain(",IR,cement,PRODUCTION,1000,تن,A"));
        Assert.That(tables[1], Does.Contain(",R,"), "a later publication of the period replaces the figures");
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(TempDirectory, "deliveries", "hamahang", "hamahang-000002.manifest.json"))).RootElement;
        Assert.That((manifest.GetProperty("format").GetString(), manifest.GetProperty("periodFrom").GetString()), Is.EqualTo(("StatisticsSdmxCsv", "1404-06")));
    }

    [Test]
    public async Task A_failing_HTTPS_partner_gets_the_same_bytes_under_the_same_number_until_it_accepts_and_the_next_waits()
    {
        await using var receiver = new HttpsReceiver();
        var partner = DeliveryFixture.Partner("hamahang", DeliveryFormat.Csv, new PartnerTransportOptions
        {
            Kind = TransportKind.Https, Url = receiver.Url, Token = "partner-token", ServerCertificateSha256 = receiver.CertificateSha256, TimeoutSeconds = 10,
        });
        await _fixture.RegisterAsync(_cement, new JalaliPeriod(1404, 6), ("2394-01", 1000m));
        receiver.FailNext(2);

        var failed = await _fixture.Delivery.RunAsync(partner, DeliveryFixture.Now);
        await _fixture.RegisterAsync(_refinery, new JalaliPeriod(1404, 6), ("1920-03", 7m));
        var failedAgain = await _fixture.Delivery.RunAsync(partner, DeliveryFixture.Now);
        var delivered = await _fixture.Delivery.RunAsync(partner, DeliveryFixture.Now);

        Assert.That(failed.Single().Error, Does.Contain("503"));
        Assert.That(failedAgain.Select(o => o.Sequence), Is.EqualTo(new[] { 1 }), "delivery 2 waits while 1 fails");
        Assert.That(delivered.Select(o => (o.Sequence, o.Error)), Is.EqualTo(new[] { (1, (string?)null), (2, null) }));
        var received = receiver.Received.ToList();
        Assert.That(received.Select(r => (r.Key, r.Answered)), Is.EqualTo(new[] { ("hamahang-1", 503), ("hamahang-1", 503), ("hamahang-1", 201), ("hamahang-2", 201) }));
        Assert.That(received.Take(3).Select(r => Convert.ToHexString(r.Data)).Distinct().Count(), Is.EqualTo(1), "the same bytes each time");
        Assert.That(received[0].Token, Is.EqualTo("Bearer partner-token"));
        var attempts = await new Deliveries(Database).AttemptsAsync((await new Deliveries(Database).FindAsync("hamahang", 1))!.Id);
        Assert.That(attempts.Select(a => a.Succeeded), Is.EqualTo(new[] { false, false, true }), "every attempt recorded");
        Assert.That((await new Deliveries(Database).FindAsync("hamahang", 1))!.State, Is.EqualTo(DeliveryState.Delivered));
    }

    [Test]
    public async Task An_SFTP_partner_receives_complete_files_and_a_delivery_waits_out_a_server_outage()
    {
        using var server = new SftpServer();
        var transport = new PartnerTransportOptions
        {
            Kind = TransportKind.Sftp, Host = "127.0.0.1", Port = server.Port, User = server.User, PrivateKeyFile = server.UserKey,
            HostKeySha256 = server.HostKeySha256, RemoteFolder = server.RemoteFolder, TimeoutSeconds = 10,
        };
        var partner = DeliveryFixture.Partner("customs", DeliveryFormat.SdmxCsv, transport);
        await _fixture.RegisterAsync(_cement, new JalaliPeriod(1404, 6), ("2394-01", 1000m));

        var first = (await _fixture.Delivery.RunAsync(partner, DeliveryFixture.Now)).Single();
        server.Stop();
        await _fixture.RegisterAsync(_refinery, new JalaliPeriod(1404, 6), ("1920-03", 7m));
        var down = (await _fixture.Delivery.RunAsync(partner, DeliveryFixture.Now)).Single();
        server.Start();
        var up = (await _fixture.Delivery.RunAsync(partner, DeliveryFixture.Now)).Single();

        Assert.That(first.Error, Is.Null);
        Assert.That((down.Sequence, down.Error is not null), Is.EqualTo((2, true)));
        Assert.That((up.Sequence, up.Error), Is.EqualTo((2, (string?)null)));
        Assert.That(Directory.GetFiles(server.RemoteFolder).Select(Path.GetFileName).Order(), Is.EqualTo(new[]
        {
            "customs-000001.manifest.json", "customs-000001.sdmx.csv", "customs-000002.manifest.json", "customs-000002.sdmx.csv",
        }));
        Assert.That(await File.ReadAllBytesAsync(Path.Combine(server.RemoteFolder, "customs-000002.sdmx.csv")),
            Is.EqualTo(await File.ReadAllBytesAsync(Path.Combine(_fixture.Delivery.Archive(partner), "customs-000002.sdmx.csv"))));

        transport.HostKeySha256 = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        var resent = await _fixture.Delivery.ResendAsync(partner, 1, DeliveryFixture.Now);
        Assert.That(resent.Error, Does.Contain("offers host key " + server.HostKeySha256), "a server with another host key gets nothing");
        Assert.That(resent.Problem, Does.StartWith("کلید سرور SFTP با اثر انگشت پیکربندی‌شده نمی‌خواند"), "the admin's page says why in Persian");
        var store = new Deliveries(Database);
        Assert.That((await store.AttemptsAsync((await store.FindAsync("customs", 1))!.Id))[^1].Problem, Is.EqualTo(resent.Problem));
    }

    [Test]
    public async Task A_past_delivery_is_sent_again_byte_for_byte_and_the_attempt_is_recorded()
    {
        var partner = DeliveryFixture.Partner("ime");
        await _fixture.RegisterAsync(_cement, new JalaliPeriod(1404, 6), ("2394-01", 1000m));
        await _fixture.Delivery.RunAsync(partner, DeliveryFixture.Now);
        var file = Path.Combine(Outbound("ime"), "ime-000001.csv");
        var original = await File.ReadAllBytesAsync(file);
        File.Delete(file);

        var again = await _fixture.Delivery.ResendAsync(partner, 1, DeliveryFixture.Now);

        Assert.That((again.Sequence, again.Error, again.Resend), Is.EqualTo((1, (string?)null, true)));
        Assert.That(await File.ReadAllBytesAsync(file), Is.EqualTo(original));
        var store = new Deliveries(Database);
        var attempts = await store.AttemptsAsync((await store.FindAsync("ime", 1))!.Id);
        Assert.That(attempts.Select(a => a.Resend), Is.EqualTo(new[] { false, true }));
        Assert.That(await _fixture.Delivery.RunAsync(partner, DeliveryFixture.Now), Is.Empty, "a re-send is not a new delivery");
    }
}
