using BatchEngine.Dashboard;

var builder = WebApplication.CreateBuilder(args);
builder.AddDashboard();
var app = builder.Build();
await app.UseDashboardAsync();
await app.RunAsync();

/// <summary>The entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
