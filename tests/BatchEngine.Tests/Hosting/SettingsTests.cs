using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BatchEngine.Tests.Hosting;

/// <summary>
/// The settings bound once to their options classes (<see cref="SettingsSections"/>): a bad one refused with a sentence
/// naming its key, the shipped file accepted, and a bad change to a running engine's file refused while the last good
/// settings stay.
/// </summary>
[Category(Categories.Rules)]
public sealed class SettingsTests
{
    [Test]
    public void The_shipped_settings_are_accepted() =>
        Assert.That(() => EngineSettings.Load(Path.GetTempPath(), "unused.db").Check(), Throws.Nothing);

    [TestCase("Engine:Workers", "0", "Engine:Workers is 0; it must be 1 to 100.")]
    [TestCase("Engine:Workers", "four", "'Engine:Workers'")]
    [TestCase("Engine:FirstPeriod", "1405-13", "Engine:FirstPeriod is '1405-13'")]
    [TestCase("Engine:ClockStartsAt", "tomorrow", "Engine:ClockStartsAt is 'tomorrow'")]
    [TestCase("Inactivity:SuspensionCandidateMisses", "0", "Inactivity:SuspensionCandidateMisses is 0")]
    [TestCase("Api:RequestsPerMinute", "0", "Api:RequestsPerMinute is 0")]
    [TestCase("Metrics:Listen", "127.0.0.1:9464", "Metrics:Listen is '127.0.0.1:9464'; it must be an http address ending in a slash")]
    [TestCase("Metrics:LogFormat", "xml", "Metrics:LogFormat is 'xml'; it must be lines or json.")]
    [TestCase("Notifications:ClaimLeaseSeconds", "0", "Notifications:ClaimLeaseSeconds is 0; it must be 1 to 86400.")]
    [TestCase("Notifications:Sms:WindowEnd", "9pm", "Notifications:Sms:WindowEnd is '9pm'")]
    [TestCase("Import:Writers", "0", "Import:Writers is 0")]
    [TestCase("Review:ProvincialDay", "40", "Review:ProvincialDay is 40; it must be 1 to 31.")]
    [TestCase("Outliers:AverageOfMonths", "0", "Outliers:AverageOfMonths is 0")]
    [TestCase("Statistics:CarryForwardMonths", "12", "Statistics:CarryForwardMonths is 12")]
    [TestCase("Partners:1:DailyAt", "25:00", "Partners:1:DailyAt is '25:00'")]
    [TestCase("Partners:1:Name", "customs", "the name 'customs' is configured twice")]
    public void A_bad_setting_is_refused_with_a_sentence_naming_its_key(string key, string value, string sentence)
    {
        var settings = EngineSettings.Load(Path.GetTempPath(), "unused.db", new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build());

        Assert.That(() => settings.Check(), Throws.TypeOf<FormatException>().With.Message.Contains(sentence));
    }

    [Test]
    public async Task A_bad_change_of_a_running_engine_s_file_is_refused_and_the_last_good_settings_stay()
    {
        var directory = Directory.CreateTempSubdirectory("batchengine-settings-").FullName;
        var file = Path.Combine(directory, "batchengine.json");
        try
        {
            await File.WriteAllTextAsync(file, """{ "Outliers": { "MaxChange": 0.5 } }""");
            // Reloaded here as the file watcher would, without waiting for it.
            var configuration = new ConfigurationBuilder().AddJsonFile(file, optional: false, reloadOnChange: false).Build();
            var refused = new List<string>();
            await using var sections = new ServiceCollection().AddSettingsSections(configuration, refused.Add).BuildServiceProvider();
            var outliers = sections.GetRequiredService<IOptionsMonitor<OutlierOptions>>();
            Assert.That(outliers.CurrentValue.MaxChange, Is.EqualTo(0.5m));

            await File.WriteAllTextAsync(file, """{ "Outliers": { "MaxChange": 0 } }""");
            configuration.Reload();
            Assert.That(refused, Is.Not.Empty.And.All.Contains("Outliers:MaxChange is 0"));
            Assert.That(outliers.CurrentValue.MaxChange, Is.EqualTo(0.5m), "the last good settings stay");

            await File.WriteAllTextAsync(file, """{ "Outliers": { "MaxChange": 0.3 } }""");
            configuration.Reload();
            Assert.That(outliers.CurrentValue.MaxChange, Is.EqualTo(0.3m), "a good change is taken");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
