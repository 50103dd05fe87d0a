using BatchEngine.Dashboard;
using BatchEngine.Data;

WebApplication app;
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddDashboard();
    app = builder.Build();
}
catch (DatabaseSettingException e)
{
    // The operator's to fix, as on the command line: one sentence and exit 3.
    Console.Error.WriteLine($"Cannot use the database given: {e.Message}");
    return 3;
}

await app.UseDashboardAsync();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
