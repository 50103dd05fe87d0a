using BatchEngine.Data;
using BatchEngine.Data.Migrations;
using BatchEngine.Data.Register;
using BatchEngine.Dashboard.Pages;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Demo;
using BatchEngine.Jobs.Hosting;
using BatchEngine.Jobs.Status;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.WebEncoders;
using Hangfire;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace BatchEngine.Dashboard;

public static class Extensions
{
    /// <summary>
    /// The engine (settings from <c>config/</c>, overridden by the host's own <c>BatchEngine</c> section, e.g. a test's) and the pages.
    /// </summary>
    public static void AddDashboard(this WebApplicationBuilder builder)
    {
        // `--db` and `--data` as on the command line (configuration keys ignore case: `--data` is Data), or the setting Database.
        var settings = EngineSettings.Load(builder.Configuration["Data"],
            builder.Configuration["db"] ?? builder.Configuration["Database"], builder.Configuration.GetSection("BatchEngine"));
        builder.Logging.AddEngineLogging(settings);
        builder.Services.AddEngine(settings);
        builder.Services.AddSingleton<PeriodOverview>();
        builder.Services.AddMemoryCache();
        builder.Services.AddRazorPages();
        builder.Services.AddSingleton<ApiKeyCalls>();
        builder.AddPartnerApi(settings);
        // Pages, CSV lists and static files go compressed (a queue page is hundreds of rows). Anti-forgery tokens are
        // masked anew on every response, which is what keeps compression over HTTPS from revealing them (docs/security.md).
        builder.Services.AddResponseCompression(compression =>
        {
            compression.EnableForHttps = true;
            compression.MimeTypes = Microsoft.AspNetCore.ResponseCompression.ResponseCompressionDefaults.MimeTypes.Append("text/csv");
        });
        builder.Services.AddDataProtection().PersistKeysToFileSystem(PrivateFolder(Path.Combine(settings.DataDirectory, "keys")));
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.LoginPath = "/signin";
            cookie.LogoutPath = "/signin";
            cookie.Cookie.Name = "batchengine";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            // Every request checks the session against the user's stamp: disabled, new password, new role or signed out ends it at once.
            cookie.Events.OnValidatePrincipal = async context =>
            {
                var accounts = new UserAccounts(context.HttpContext.RequestServices.GetRequiredService<Database>());
                if (context.Principal?.Identity?.Name is not { } userName
                    || context.Principal.FindFirst(DashboardClaims.Stamp)?.Value is not { } stamp
                    || !await accounts.SessionStandsAsync(userName, stamp))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                }
            };
            // A signed-in user without the right gets 403, not a redirect; the API answers 401 instead of a sign-in page.
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
            cookie.Events.OnRedirectToLogin = context =>
            {
                if (context.Request.Path.StartsWithSegments("/api"))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                }
                else
                {
                    context.Response.Redirect(context.RedirectUri);
                }

                return Task.CompletedTask;
            };
        });
        // Every page and endpoint needs a signed-in user unless it says otherwise (sign-in, health).
        builder.Services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.AddSingleton<Review>();
        builder.Services.AddSingleton<SignInThrottle>();
        // The Dashboard's own section (the host's configuration, not the engine's file): checked when the host starts.
        builder.Services.AddOptions<SignInOptions>().Bind(builder.Configuration.GetSection("SignIn")).ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<SignInOptions>>(new ProblemsValidator<SignInOptions>(o => o.Problems()));
        builder.Services.AddSingleton<ProvinceNames>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddAntiforgery(o => o.HeaderName = "RequestVerificationToken");
        // Persian text goes out as text, not as a page of &#x...; entities.
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
    }

    /// <summary>
    /// The cookie keys' folder, readable by the host's own user only: the keys are stored unencrypted (no certificate or
    /// key vault is assumed on these machines), so the file system's permissions are what protects them at rest.
    /// </summary>
    private static DirectoryInfo PrivateFolder(string path)
    {
        var folder = Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return folder;
    }

    /// <summary>
    /// Migrates, loads the demo data into an empty database when it is the embedded default or the demo is asked for
    /// (<c>--demo</c>), maps the pages, and prints where to go.
    /// </summary>
    public static async Task UseDashboardAsync(this WebApplication app)
    {
        var database = app.Services.GetRequiredService<Database>();
        await new Migrator(database).MigrateAsync();
        if (await new RegisterStore(database).CountUnitsAsync() == 0)
        {
            var settings = app.Services.GetRequiredService<EngineSettings>();
            if (settings.DatabaseNamed && !app.Configuration.GetValue("Demo", false))
            {
                app.Logger.LogWarning(
                    "Empty database {Database}: no demo data, it is loaded only into the embedded default or with --demo. Going live: load the register and create the first admin (README, \"Going live\").",
                    database.Description);
            }
            else
            {
                var units = app.Configuration.GetValue("DemoUnits", DemoData.DefaultUnits);
                // Two years and a month, so that the statistics page compares every month of the latest year with the year before.
                var periods = app.Configuration.GetValue("DemoPeriods", 25);
                app.Logger.LogInformation("Empty database {Database}: loading demo data ({Units} units, {Periods} periods)…", database.Description, units, periods);
                await new DemoData(database, app.Services.GetRequiredService<ReportingCalendar>(), settings.ConsecutiveMisses)
                    .LoadAsync(units, app.Services.GetRequiredService<TimeProvider>().GetUtcNow(), periods);
            }
        }

        await app.Services.GetRequiredService<ProvinceNames>().LoadAsync();
        app.UseSecurityHeaders();
        app.UseResponseCompression();
        // People get a Persian page for an error status or an exception (the log keeps the details); the API keeps its bare codes.
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/hangfire"), pages =>
        {
            pages.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandlingPath = "/error/500",
                // A body over the size limit is the client's mistake (413), not the server's.
                StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            });
            pages.UseStatusCodePagesWithReExecute("/error/{0}");
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(async (context, next) =>
        {
            if (context.User.HasClaim(DashboardClaims.MustChangePassword, "true")
                && !context.Request.Path.StartsWithSegments("/account/password") && !context.Request.Path.StartsWithSegments("/signin"))
            {
                context.Response.Redirect("/account/password");
                return;
            }

            await next();
        });
        app.MapRazorPages();
        app.UseHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new AdminOnlyDashboardFilter()], AppPath = "/" });
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapApi();
        app.MapPartnerApi();
        app.Lifetime.ApplicationStarted.Register(() => PrintWelcome(app, database));
    }

    private static void PrintWelcome(WebApplication app, Database database)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Console.WriteLine();
        Console.WriteLine($"Batch engine dashboard on {string.Join(", ", addresses)} ({database.Description})");
        Console.WriteLine($"Demo sign-ins, password {DemoData.DemoPassword}:");
        foreach (var account in DemoData.Accounts)
        {
            Console.WriteLine($"  {account.UserName,-16} {account.Description}");
        }

        Console.WriteLine();
    }
}
