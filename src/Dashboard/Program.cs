using BatchEngine.Dashboard;
using BatchEngine.Data;

WebApplication app;
try
{
    // `--demo` alone asks for the demo in a named database, as `--demo true` would.
    var builder = WebApplication.CreateBuilder(args.Select(a => a == "--demo" ? "--demo=true" : a).ToArray());
    builder.AddDashboard();
    app = builder.Build();
}
catch (DatabaseSettingException e)
{
    // The operator's to fix, as on the command line: one sentence and exit 3.
    Console.Error.WriteLine($"Cannot use the database given: {e.Message}");
    return 3;
}
catch (FormatException e)
{
    // A setting the host cannot work with (a review day of 40, a partner's time of 25:00): the same, naming the key.
    Console.Error.WriteLine($"A setting is not valid: {e.Message}");
    return 3;
}

await app.UseDashboardAsync();
try
{
    await app.RunAsync();
}
catch (Microsoft.Extensions.Options.OptionsValidationException e)
{
    Console.Error.WriteLine($"A setting is not valid: {string.Join(" ", e.Failures)}");
    return 3;
}

return 0;

/// <summary>The entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
