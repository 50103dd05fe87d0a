using BatchEngine.Jobs.Import;
using BatchEngine.Jobs.Partners;
using BatchEngine.Data;
using BatchEngine.Data.Engine;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Engine;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using Quartz;

namespace BatchEngine.Jobs.Hosting;

/// <summary>
/// The engine inside a host (the Dashboard, or <c>batchengine worker</c>): Quartz decides when, on a persistent job
/// store in the product's database; Hangfire does the work, with a persistent storage of its own.
/// </summary>
public static class EngineHosting
{
    /// <summary>
    /// Keeps the storages' housekeeping out of the log, and writes the console one line per event
    /// (<see cref="OutageLogFormatter"/>) or, for a log collector, one JSON object per event.
    /// </summary>
    public static ILoggingBuilder AddEngineLogging(this ILoggingBuilder logging, EngineSettings settings)
    {
        logging.AddFilter("Hangfire.Storage.SQLite", LogLevel.Warning).AddFilter("Hangfire.PostgreSql", LogLevel.Warning);
        return settings.Options<MetricsOptions>().JsonLogs
            ? logging.AddJsonConsole(o => o.UseUtcTimestamp = true)
            : logging.AddConsole(o => o.FormatterName = OutageLogFormatter.Name).AddConsoleFormatter<OutageLogFormatter, ConsoleFormatterOptions>();
    }

    public static IServiceCollection AddEngine(this IServiceCollection services, EngineSettings settings)
    {
        var engine = settings.Options<EngineOptions>();
        var database = settings.OpenDatabase();
        // Hangfire's SQLite storage, the outbox and the archives live there, wherever the database is.
        Directory.CreateDirectory(settings.DataDirectory);
        var calendars = new CalendarSource(settings);
        var options = settings.NotificationOptions();
        services.AddSingleton(settings);
        settings.AddMonitorsTo(services);
        services.AddSingleton(database);
        services.AddSingleton(calendars);
        services.AddTransient(_ => calendars.Current);
        services.AddSingleton(options);
        services.AddSingleton(settings.ReviewDeadline(calendars.Current.Clock));
        services.AddSingleton(settings.Statistics);
        services.TryAddSingleton(settings.Clock());
        services.AddHttpClient("sms", client => client.Timeout = TimeSpan.FromSeconds(options.Sms.Kavenegar.TimeoutSeconds));
        services.AddSingleton(sp => settings.CreateSender(database, calendars.Current, () => sp.GetRequiredService<IHttpClientFactory>().CreateClient("sms")));
        services.AddSingleton<HangfireDispatcher>();
        services.AddSingleton<IWorkDispatcher>(sp => sp.GetRequiredService<HangfireDispatcher>());
        services.AddSingleton<DueWork>();
        services.AddSingleton(new Handoffs(database));
        services.AddSingleton(new SchedulePlanner(calendars, settings.Partners));
        services.AddSingleton<QuartzCalendar>();
        services.AddTransient<DueWorkJob>();
        services.AddTransient<SendBatchJob>();
        services.AddTransient<SweepJob>();
        services.AddSingleton(sp => new UploadImport(database, settings.ImportOptions(), settings.UploadsDirectory(), sp.GetRequiredService<TimeProvider>()));
        services.AddTransient<ImportJob>();
        services.AddSingleton(settings.PartnerDelivery(database));
        services.AddTransient<DeliveryJob>();
        if (settings.Options<MetricsOptions>().Listen is { Length: > 0 } listen)
        {
            services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(EngineMetrics.MeterName, "Microsoft.AspNetCore.Hosting")
                .AddInstrumentation(_ => new WaitingGauges(database))
                .AddPrometheusHttpListener(o =>
                {
                    var uri = new Uri(listen);
                    (o.Host, o.Port, o.ScrapeEndpointPath) = (uri.Host, uri.Port, uri.AbsolutePath + "metrics");
                }));
        }

        services.AddHangfire(hangfire =>
        {
            hangfire.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
            if (database.IsPostgres)
            {
                hangfire.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(database.ConnectionString),
                    new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true, QueuePollInterval = TimeSpan.FromSeconds(1) });
            }
            else
            {
                // Its own file: Hangfire's polling must not queue behind the product's writes.
                hangfire.UseSQLiteStorage(Path.Combine(settings.DataDirectory, "hangfire.db"), new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(1) });
            }
        });
        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = "batchengine";
                scheduler.GenerateInstanceId = true;
            });
            quartz.UsePersistentStore(store =>
            {
                if (database.IsPostgres)
                {
                    store.UsePostgres(database.ConnectionString);
                    store.UseClustering(cluster => cluster.CheckinInterval = TimeSpan.FromSeconds(engine.ClusterCheckinSeconds));
                }
                else
                {
                    store.UseSqlite(database.ConnectionString);
                }

                store.UseSystemTextJsonSerializer();
                store.UseExecutionHistory();
                // The product's migrations create the tables; Quartz only checks them.
                store.ConfigureStore(o =>
                {
                    o.TablePrefix = SqlDialect.QuartzTablePrefix;
                    o.SchemaProvisioning = SchemaProvisioning.Validate;
                });
            });
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        // Registered after Quartz, so stopped before it: no job runs against a scheduler that is shutting down.
        services.AddHangfireServer(server =>
        {
            server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            server.WorkerCount = engine.Workers;
            server.SchedulePollingInterval = TimeSpan.FromSeconds(engine.SchedulePollingSeconds);
        });

        services.AddHostedService<EngineStartup>();
        return services;
    }
}

/// <summary>
/// On start: warns when the holiday file does not cover the next deadlines, puts the plan into Quartz, registers the hourly sweep with Hangfire, and runs the sweep once now, so an
/// engine that was down (or killed mid-batch) catches up at once.
/// </summary>
public sealed class EngineStartup(QuartzCalendar calendar, ISchedulerFactory schedulers, IRecurringJobManager recurring, IBackgroundJobClient jobs,
    CalendarSource calendars, TimeProvider time, ILogger<EngineStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (calendars.Current.HolidayGapAt(time.GetUtcNow()) is { } gap)
        {
            logger.LogWarning("{HolidayGap}", gap.ToString());
        }

        await calendar.ApplyAsync(await schedulers.GetScheduler(cancellationToken), cancellationToken);
        recurring.AddOrUpdate<SweepJob>(SweepJob.Id, job => job.RunAsync(CancellationToken.None), Cron.Hourly());
        jobs.Enqueue<SweepJob>(job => job.RunAsync(CancellationToken.None));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
