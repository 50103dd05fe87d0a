using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace BatchEngine.Tests.Infrastructure;

/// <summary>
/// The real Dashboard host on a database of the test's choosing; only the settings are overridden. Its clock starts at
/// the demo's instant whatever today is (a test may set another), so the demo data and every page look the same on any day.
/// </summary>
public sealed class DashboardFactory(string dataDirectory, string database, int demoUnits = 200, IReadOnlyDictionary<string, string>? engineSettings = null,
    int demoPeriods = 13)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Data", dataDirectory);
        builder.UseSetting("Database", database);
        builder.UseSetting("Demo", "true");
        builder.UseSetting("DemoUnits", demoUnits.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("DemoPeriods", demoPeriods.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("BatchEngine:Engine:ClockStartsAt", CliRunner.DemoNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (key, value) in engineSettings ?? new Dictionary<string, string>())
        {
            builder.UseSetting("BatchEngine:" + key, value);
        }
    }
}
