using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Import;
using BatchEngine.Jobs.Notifications;
using BatchEngine.Jobs.Partners;
using BatchEngine.Jobs.Statistics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace BatchEngine.Jobs.Hosting;

/// <summary><c>Engine</c>: how the engine runs (workers, polling, the database's patience, a rehearsal's clock).</summary>
public sealed class EngineOptions
{
    public int Workers { get; set; } = 4;
    public int SchedulePollingSeconds { get; set; } = 15;
    public int ClusterCheckinSeconds { get; set; } = 15;
    public int CommandTimeoutSeconds { get; set; } = (int)Database.DefaultCommandTimeout.TotalSeconds;

    /// <summary>The first period the engine collects, when the operator says so (YYYY-MM).</summary>
    public string? FirstPeriod { get; set; }

    /// <summary>Real time from this instant on (as the command line writes it), for a rehearsal or a test.</summary>
    public string? ClockStartsAt { get; set; }

    public IEnumerable<string> Problems() => SettingProblem.Found(
        SettingProblem.Range("Engine:Workers", Workers, 1, 100),
        SettingProblem.Range("Engine:SchedulePollingSeconds", SchedulePollingSeconds, 1, 3600),
        SettingProblem.Range("Engine:ClusterCheckinSeconds", ClusterCheckinSeconds, 1, 3600),
        SettingProblem.Range("Engine:CommandTimeoutSeconds", CommandTimeoutSeconds, 1, 86_400),
        FirstPeriod is { Length: > 0 } period && !JalaliPeriod.TryParse(period, out _)
            ? $"Engine:FirstPeriod is '{period}'; it must be a period YYYY-MM such as 1405-09."
            : null,
        ClockStartsAt is { Length: > 0 } start && !InstantText.TryParse(start, TehranClock.FromOperatingSystem(), out _)
            ? $"Engine:ClockStartsAt is '{start}'; it must be an instant such as 1404-08-10T09:00 or 2025-11-01T09:00:00+03:30."
            : null);
}

/// <summary><c>Inactivity</c>: how many missed deadlines in a row flag a unit, and make it a suspension candidate.</summary>
public sealed class InactivityOptions
{
    public int ConsecutiveMisses { get; set; } = 1;
    public int SuspensionCandidateMisses { get; set; } = 6;

    public IEnumerable<string> Problems() => SettingProblem.Found(
        SettingProblem.Range("Inactivity:ConsecutiveMisses", ConsecutiveMisses, 1, 24),
        SettingProblem.Range("Inactivity:SuspensionCandidateMisses", SuspensionCandidateMisses, Math.Max(1, ConsecutiveMisses), 36));
}

/// <summary><c>Api</c>: the partner systems' API.</summary>
public sealed class ApiOptions
{
    public int RequestsPerMinute { get; set; } = 120;

    public IEnumerable<string> Problems() => SettingProblem.Found(SettingProblem.Range("Api:RequestsPerMinute", RequestsPerMinute, 1, 100_000));
}

/// <summary><c>Metrics</c>: what an operator's monitoring reads (README, "Metrics and logs").</summary>
public sealed class MetricsOptions
{
    /// <summary>Where Prometheus scrapes the engine's metrics (<c>/metrics</c> under it), e.g. <c>http://127.0.0.1:9464/</c>; none when empty.</summary>
    public string? Listen { get; set; }

    /// <summary><c>lines</c>: one readable line per event; <c>json</c>: one JSON object per event, for a log collector.</summary>
    public string LogFormat { get; set; } = "lines";

    public bool JsonLogs => LogFormat == "json";

    public IEnumerable<string> Problems() => SettingProblem.Found(
        Listen is { Length: > 0 } listen && !(Uri.TryCreate(listen, UriKind.Absolute, out var uri) && uri.Scheme == "http" && listen.EndsWith('/'))
            ? $"Metrics:Listen is '{listen}'; it must be an http address ending in a slash, such as http://127.0.0.1:9464/."
            : null,
        LogFormat is "lines" or "json" ? null : $"Metrics:LogFormat is '{LogFormat}'; it must be lines or json.");
}

/// <summary>
/// Every section of the settings bound to its options class once, checked by the class's own rules, and bound again when
/// the file changes; the one place that reads the configuration's sections.
/// </summary>
public static class SettingsSections
{
    public static IServiceCollection AddSettingsSections(this IServiceCollection services, IConfiguration configuration, Action<string> rejected)
    {
        services.AddOptions();
        Section<EngineOptions>(services, configuration, "Engine", o => o.Problems(), rejected);
        Section<InactivityOptions>(services, configuration, "Inactivity", o => o.Problems(), rejected);
        Section<ApiOptions>(services, configuration, "Api", o => o.Problems(), rejected);
        Section<MetricsOptions>(services, configuration, "Metrics", o => o.Problems(), rejected);
        Section<NotificationOptions>(services, configuration, "Notifications", o => o.Problems(), rejected);
        Section<ImportOptions>(services, configuration, "Import", o => o.Problems(), rejected);
        Section<ReviewOptions>(services, configuration, "Review", o => o.Problems(), rejected);
        Section<OutlierOptions>(services, configuration, "Outliers", o => o.Problems(), rejected);
        Section<StatisticsOptions>(services, configuration, "Statistics", o => o.Problems(), rejected);
        // An array: bound whole, so that the binder does not merge it with anything.
        services.Configure<PartnerList>(list => list.Partners = configuration.GetSection("Partners").Get<List<PartnerOptions>>() ?? []);
        services.AddSingleton<IOptionsChangeTokenSource<PartnerList>>(new ConfigurationChangeTokenSource<PartnerList>(configuration.GetSection("Partners")));
        Checked<PartnerList>(services, o => o.Problems(), rejected);
        return services;
    }

    /// <summary>Each options class of <see cref="AddSettingsSections"/>: a host checks them all before it starts.</summary>
    public static readonly Type[] Types =
    [
        typeof(EngineOptions), typeof(InactivityOptions), typeof(ApiOptions), typeof(MetricsOptions), typeof(NotificationOptions), typeof(ImportOptions), typeof(ReviewOptions),
        typeof(OutlierOptions), typeof(StatisticsOptions), typeof(PartnerList),
    ];

    private static void Section<T>(IServiceCollection services, IConfiguration configuration, string key, Func<T, IEnumerable<string>> problems, Action<string> rejected)
        where T : class
    {
        // Also watches the section for changes.
        services.Configure<T>(configuration.GetSection(key));
        Checked(services, problems, rejected);
    }

    private static void Checked<T>(IServiceCollection services, Func<T, IEnumerable<string>> problems, Action<string> rejected)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new ProblemsValidator<T>(problems));
        services.AddSingleton<IOptionsMonitor<T>>(sp => new RetainingOptionsMonitor<T>(
            sp.GetRequiredService<IOptionsFactory<T>>(), sp.GetServices<IOptionsChangeTokenSource<T>>(), rejected));
    }

}

/// <summary>Refuses options whose class lists problems: each a sentence naming its key.</summary>
public sealed class ProblemsValidator<T>(Func<T, IEnumerable<string>> problems) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options) =>
        problems(options).ToList() is { Count: > 0 } found ? ValidateOptionsResult.Fail(found) : ValidateOptionsResult.Success;
}

/// <summary>
/// A section's settings, bound at start (a bad one is refused with its sentence) and again on every change of the
/// file. A change that does not bind or breaks a rule is refused and the last good settings stay: the framework's monitor
/// would drop them and throw on the reloading thread and at every later read (dotnet/runtime#44381).
/// </summary>
internal sealed class RetainingOptionsMonitor<T> : IOptionsMonitor<T>, IDisposable where T : class
{
    private readonly IOptionsFactory<T> _factory;
    private readonly Action<string> _rejected;
    private readonly List<IDisposable> _watches;
    private readonly List<Action<T, string?>> _listeners = [];
    private T _current;

    public RetainingOptionsMonitor(IOptionsFactory<T> factory, IEnumerable<IOptionsChangeTokenSource<T>> sources, Action<string> rejected)
    {
        _factory = factory;
        _rejected = rejected;
        _current = Create();
        _watches = sources.Select(source => ChangeToken.OnChange(source.GetChangeToken, Reload)).ToList();
    }

    public T CurrentValue => Volatile.Read(ref _current);

    public T Get(string? name) => CurrentValue;

    public IDisposable OnChange(Action<T, string?> listener)
    {
        lock (_listeners)
        {
            _listeners.Add(listener);
        }

        return new Unsubscribe(() =>
        {
            lock (_listeners)
            {
                _listeners.Remove(listener);
            }
        });
    }

    public void Dispose() => _watches.ForEach(w => w.Dispose());

    /// <summary>The settings as they stand; a value that does not convert or breaks a rule is one sentence naming its key.</summary>
    private T Create()
    {
        try
        {
            return _factory.Create(Options.DefaultName);
        }
        catch (OptionsValidationException e)
        {
            throw new FormatException(string.Join(" ", e.Failures));
        }
        catch (InvalidOperationException e)
        {
            // The binder's own sentence names the key and the type it could not convert to.
            throw new FormatException(e.Message);
        }
    }

    private void Reload()
    {
        T next;
        try
        {
            next = Create();
        }
        catch (FormatException e)
        {
            _rejected(e.Message);
            return;
        }

        Volatile.Write(ref _current, next);
        Action<T, string?>[] listeners;
        lock (_listeners)
        {
            listeners = _listeners.ToArray();
        }

        foreach (var listener in listeners)
        {
            listener(next, Options.DefaultName);
        }
    }

    private sealed class Unsubscribe(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
