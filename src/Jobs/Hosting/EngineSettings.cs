using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BatchEngine.Jobs.Hosting;

/// <summary>
/// Where the engine finds its configuration, data folder and database, and the settings read from
/// <c>config/batchengine.json</c> (overridable by <c>BATCHENGINE_</c> environment variables, e.g.
/// <c>BATCHENGINE_Inactivity__ConsecutiveMisses</c>), each section bound to its options class
/// (<see cref="SettingsSections"/>) and read through <see cref="Options{T}"/>.
/// </summary>
public sealed class EngineSettings
{
    public const string ConfigFileName = "batchengine.json";

    private readonly IConfiguration _configuration;
    private readonly ServiceProvider _sections;

    private EngineSettings(string configDirectory, string dataDirectory, string databaseSetting, bool databaseNamed, IConfiguration configuration)
    {
        _configuration = configuration;
        _sections = new ServiceCollection()
            .AddSettingsSections(configuration, problem => Console.Error.WriteLine($"A change of the settings was refused, the last good ones stay: {problem}"))
            .BuildServiceProvider();
        ConfigDirectory = configDirectory;
        DataDirectory = dataDirectory;
        DatabaseSetting = databaseSetting;
        DatabaseNamed = databaseNamed;
    }

    public string ConfigDirectory { get; }
    public string DataDirectory { get; }
    public string DatabaseSetting { get; }

    /// <summary>
    /// Whether the database was named (<c>--db</c>, BATCHENGINE_DB or the setting <c>Database</c>) rather than the embedded
    /// default in the data folder: a named database is someone's real one and never gets demo data unasked.
    /// </summary>
    public bool DatabaseNamed { get; }

    /// <summary>
    /// <c>Engine:FirstPeriod</c> (YYYY-MM): the first period the engine collects, when the operator says so; otherwise the
    /// first the engine opened before its deadline (<see cref="Data.Periods.PeriodStore.FirstCollectedAsync"/>).
    /// </summary>
    public JalaliPeriod? FirstPeriod => Options<EngineOptions>().FirstPeriod is { Length: > 0 } code ? JalaliPeriod.Parse(code) : null;

    /// <summary>The first period collected: the setting, else the first the engine opened before its deadline; null while there is none.</summary>
    public async Task<JalaliPeriod?> FirstCollectedAsync(Database database) =>
        FirstPeriod ?? (await new Data.Periods.PeriodStore(database).FirstCollectedAsync() is { } code ? code : null);

    public int ConsecutiveMisses => Options<InactivityOptions>().ConsecutiveMisses;
    public int SuspensionCandidateMisses => Options<InactivityOptions>().SuspensionCandidateMisses;

    /// <summary>A section's settings as they stand (bound again when the file changes; a bad change is refused).</summary>
    public T Options<T>() where T : class => Monitor<T>().CurrentValue;

    public IOptionsMonitor<T> Monitor<T>() where T : class => _sections.GetRequiredService<IOptionsMonitor<T>>();

    /// <summary>
    /// Binds and checks every section: a bad setting stops the command, or the host before it starts, with its sentence
    /// (a <see cref="FormatException"/>).
    /// </summary>
    public EngineSettings Check()
    {
        _ = Monitors().ToList();
        return this;
    }

    /// <summary>Gives a host's services the same bound sections as <see cref="IOptionsMonitor{T}"/>, checked, not bound a second time.</summary>
    public void AddMonitorsTo(IServiceCollection services)
    {
        foreach (var (type, monitor) in Monitors())
        {
            services.AddSingleton(type, monitor);
        }
    }

    private IEnumerable<(Type Type, object Monitor)> Monitors() =>
        SettingsSections.Types.Select(section => typeof(IOptionsMonitor<>).MakeGenericType(section)).Select(type => (type, _sections.GetRequiredService(type)));

    /// <param name="dataDirectory">The <c>--data</c> option, if given; otherwise <c>data/</c> beside <c>config/</c>.</param>
    /// <param name="database">The <c>--db</c> option, if given; otherwise BATCHENGINE_DB, then the SQLite file in the data folder.</param>
    public static EngineSettings Load(string? dataDirectory = null, string? database = null, IConfiguration? overrides = null)
    {
        var configDirectory = FindConfigDirectory();
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(configDirectory, ConfigFileName), optional: false, reloadOnChange: true)
            .AddEnvironmentVariables("BATCHENGINE_");
        if (overrides is not null)
        {
            builder.AddConfiguration(overrides);
        }

        var configuration = builder.Build();
        // Both hosts run from their project folders under `dotnet run`; they share the data folder beside config/.
        var data = Path.GetFullPath(dataDirectory ?? configuration["Data"] ?? Path.Combine(configDirectory, "..", "data"));
        var named = database
            ?? Environment.GetEnvironmentVariable("BATCHENGINE_DB")
            ?? configuration["Database"];
        return new EngineSettings(configDirectory, data, named ?? Path.Combine(data, "batchengine.db"), named is not null, configuration);
    }

    /// <summary>
    /// The engine's clock: the real one, or real time from <c>Engine:ClockStartsAt</c> on (an instant as the command
    /// line writes it) for a rehearsal or a test.
    /// </summary>
    public TimeProvider Clock()
    {
        // Checked as a setting: a start that does not read as an instant never gets here.
        return Options<EngineOptions>().ClockStartsAt is { Length: > 0 } start && InstantText.TryParse(start, TehranClock.FromOperatingSystem(), out var instant)
            ? ShiftedTime.StartingAt(instant, TimeProvider.System)
            : TimeProvider.System;
    }

    public string HolidayFile => Path.Combine(ConfigDirectory, _configuration["Holidays:File"] ?? "holidays.json");

    public Database OpenDatabase() => Database.FromSetting(DatabaseSetting, CommandTimeout);

    /// <summary>How long one database statement may run (<c>Engine:CommandTimeoutSeconds</c>) before it is cancelled and reported.</summary>
    public TimeSpan CommandTimeout => TimeSpan.FromSeconds(Options<EngineOptions>().CommandTimeoutSeconds);

    /// <summary><c>Outliers</c>: the thresholds of the review's outlier rule.</summary>
    public OutlierOptions Outliers => Options<OutlierOptions>();

    /// <summary><c>Statistics</c>: the selected products and the imputation's settings, checked.</summary>
    public Statistics.StatisticsOptions Statistics => Options<Statistics.StatisticsOptions>();

    public ReportingCalendar CreateCalendar()
    {
        var options = new CalendarOptions();
        var deadline = _configuration.GetSection("Deadline");
        options.ShiftPastHolidays = deadline.GetValue("ShiftPastHolidays", options.ShiftPastHolidays);
        options.DeadlineDay = deadline.GetValue("Day", options.DeadlineDay);
        // Lists are replaced, not merged: the binder would append configured days to the defaults.
        if (deadline.GetSection("WeekendDays").Get<List<DayOfWeek>>() is { } weekend)
        {
            options.WeekendDays = weekend;
        }

        if (_configuration.GetSection("Reminders:Stages").Get<List<ReminderStageOptions>>() is { Count: > 0 } stages)
        {
            options.Reminders = stages;
        }

        var holidays = File.Exists(HolidayFile)
            ? HolidayCalendar.Load(HolidayFile)
            : throw new FileNotFoundException($"The holiday file {HolidayFile} does not exist.");
        return new ReportingCalendar(options, holidays, TehranClock.FromOperatingSystem());
    }

    /// <summary>
    /// BATCHENGINE_CONFIG if set; else the nearest <c>config/</c> above the working directory (a checkout);
    /// else the copy beside the binaries.
    /// </summary>
    private static string FindConfigDirectory()
    {
        if (Environment.GetEnvironmentVariable("BATCHENGINE_CONFIG") is { Length: > 0 } explicitDirectory)
        {
            return Path.GetFullPath(explicitDirectory);
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "config");
            if (File.Exists(Path.Combine(candidate, ConfigFileName)))
            {
                return candidate;
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "config");
    }
}
