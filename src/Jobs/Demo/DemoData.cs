using System.Globalization;
using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Flags;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;
using Dapper;

namespace BatchEngine.Jobs.Demo;

/// <summary>A demo account printed at start-up.</summary>
public sealed record DemoAccount(string UserName, string Password, string Description);

public sealed record DemoSummary(int Units, int Returns, int Periods, int Flags);

/// <summary>
/// Fills an empty database with a living system: the register, 13 periods (or as many as asked) of returns in every state with
/// their history, late ones, and units that stopped reporting. Bulk inserts, so the national scale loads in minutes.
/// The periods are played in order and the real missed-deadline rule flags each one at its deadline.
/// </summary>
public sealed class DemoData(Database database, ReportingCalendar calendar, int consecutiveMisses)
{
    public const int DefaultUnits = 4000;
    public const string DemoPassword = "demo1404";

    public static readonly DemoAccount[] Accounts =
    [
        new("admin", DemoPassword, "admin (Hangfire dashboard, schedule)"),
        new("ministry", DemoPassword, "ministry expert (all provinces)"),
        new("tehran-expert", DemoPassword, "provincial expert, Tehran"),
        new("tehran-liaison", DemoPassword, "liaison of the first Tehran unit"),
        new("isfahan-expert", DemoPassword, "provincial expert, Isfahan"),
        new("isfahan-liaison", DemoPassword, "liaison of the first Isfahan unit"),
    ];

    private static readonly BulkColumn[] UnitColumns =
    [
        new("id", "bigint"), new("licence_no", "text"), new("name", "text"), new("province_code", "text"),
        new("isic", "text"), new("status", "text"), new("created_at", "timestamptz"),
    ];

    private static readonly BulkColumn[] UnitProductColumns = [new("unit_id", "bigint"), new("product_code", "text"), new("annual_capacity", "numeric")];

    private static readonly BulkColumn[] LiaisonColumns =
        [new("unit_id", "bigint"), new("name", "text"), new("email", "text"), new("mobile", "text")];

    private static readonly BulkColumn[] ReturnColumns =
    [
        new("id", "bigint"), new("unit_id", "bigint"), new("period", "text"), new("state", "text"), new("version", "integer"),
        new("employees", "integer"), new("submitted_at", "timestamptz"), new("late", "boolean"), new("updated_at", "timestamptz"),
    ];

    private static readonly BulkColumn[] LineColumns =
    [
        new("return_id", "bigint"), new("product_code", "text"), new("production", "numeric"), new("sales", "numeric"),
        new("export_qty", "numeric"), new("export_value_usd", "numeric"),
    ];

    private static readonly BulkColumn[] HistoryColumns =
    [
        new("return_id", "bigint"), new("at", "timestamptz"), new("actor", "text"), new("actor_role", "text"),
        new("from_state", "text"), new("to_state", "text"), new("reason", "text"), new("version", "integer"),
    ];

    private readonly Random _random = new(1404);

    private Dictionary<string, string> _provinceNames = [];

    public const int DefaultPeriods = 13;

    /// <param name="periodCount">How many periods of history, the one open at <paramref name="now"/> the newest.</param>
    public async Task<DemoSummary> LoadAsync(int totalUnits, DateTimeOffset now, int periodCount = DefaultPeriods)
    {
        if (totalUnits < DemoCatalogue.Provinces.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(totalUnits), $"--units must be at least {DemoCatalogue.Provinces.Length}, one per province.");
        }

        var register = new RegisterStore(database);
        if (await register.CountUnitsAsync() > 0)
        {
            throw new InvalidOperationException("The database already holds units; demo data is loaded only into an empty database.");
        }

        _provinceNames = (await register.ProvincesAsync()).ToDictionary(p => p.Code, p => p.Name);
        await register.UpsertProductsAsync(DemoCatalogue.Products.Select(p => p.Product));

        var units = CreateUnits(totalUnits, now);
        await InsertRegisterAsync(units);
        await CreateUsersAsync(units);

        var periods = calendar.LatestOpenAt(now).LastPeriods(periodCount);
        var periodStore = new PeriodStore(database);
        var flagging = new MissedDeadlines(database);
        long nextReturnId = 1;
        var returns = 0;
        var flags = 0;
        for (var index = 0; index < periods.Count; index++)
        {
            var period = periods[index];
            var schedule = calendar.For(period);
            await periodStore.OpenAsync(period, schedule.OpensAt.UtcDateTime, schedule.LateFrom.UtcDateTime, schedule.OpensAt.UtcDateTime);
            var age = periods.Count - 1 - index;
            var generated = units.Select(u => CreateReturn(u, period, age, schedule, now, ref nextReturnId)).OfType<DemoReturn>().ToList();
            returns += generated.Count;

            await InsertReturnsAsync(generated.Where(r => !r.Late));
            if (schedule.LateFrom <= now)
            {
                flags += await flagging.FlagAsync(period, schedule.LateFrom.UtcDateTime);
                await flagging.MarkPossiblyInactiveAsync(period.LastPeriods(consecutiveMisses));
            }

            await InsertReturnsAsync(generated.Where(r => r.Late));
            await using var connection = await database.OpenAsync();
            await UnitActivity.ReactivateReportedAsync(database, connection, null, period, null);
        }

        await database.AnalyzeAsync("units", "liaisons", "returns", "return_lines", "return_history", "missed_deadline_flags");

        return new DemoSummary(units.Count, returns, periods.Count, flags);
    }

    private List<DemoUnit> CreateUnits(int total, DateTimeOffset now)
    {
        var weightSum = DemoCatalogue.Provinces.Sum(p => p.Weight);
        var industries = DemoCatalogue.Industries.Keys.ToArray();
        var units = new List<DemoUnit>(total);
        for (var p = 0; p < DemoCatalogue.Provinces.Length; p++)
        {
            var province = DemoCatalogue.Provinces[p];
            var count = p == DemoCatalogue.Provinces.Length - 1
                ? total - units.Count
                : Math.Max(1, (int)Math.Round(total * province.Weight / weightSum));
            for (var i = 0; i < count; i++)
            {
                var isic = industries[_random.Next(industries.Length)];
                var candidates = DemoCatalogue.Products.Where(x => x.Product.Isic == isic).ToArray();
                var products = candidates.OrderBy(_ => _random.Next()).Take(_random.Next(1, Math.Min(3, candidates.Length) + 1)).ToArray();
                var word = DemoCatalogue.NameWords[_random.Next(DemoCatalogue.NameWords.Length)];
                var form = DemoCatalogue.CompanyForms[_random.Next(DemoCatalogue.CompanyForms.Length)];
                var roll = _random.NextDouble();
                units.Add(new DemoUnit
                {
                    Id = units.Count + 1,
                    LicenceNo = string.Create(CultureInfo.InvariantCulture, $"{p + 10:D2}{i + 1:D6}"),
                    Name = $"{form} {DemoCatalogue.Industries[isic]} {word} {_provinceNames[province.Code]}",
                    ProvinceCode = province.Code,
                    Isic = isic,
                    Products = products,
                    Scale = Math.Exp(_random.NextDouble() * 2.4 - 1.6),
                    Employees = _random.Next(15, 900),
                    Exports = _random.NextDouble() < 0.3,
                    // Some units stop reporting: 1 to 10 periods before the newest one.
                    StoppedAge = roll < 0.04 ? _random.Next(1, 11) : null,
                    Lateness = roll > 0.9 ? 0.3 : 0.03,
                    CreatedAt = now.UtcDateTime.AddYears(-6),
                });
            }
        }

        return units;
    }

    private async Task InsertRegisterAsync(List<DemoUnit> units)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var dialect = database.Dialect;
        await dialect.BulkInsertAsync(connection, transaction, "units", UnitColumns, units.Select(u => new object?[]
        {
            u.Id, u.LicenceNo, u.Name, u.ProvinceCode, u.Isic, nameof(UnitStatus.Active), u.CreatedAt,
        }));
        await dialect.ResetIdentityAsync(connection, transaction, "units");
        await dialect.BulkInsertAsync(connection, transaction, "unit_products", UnitProductColumns,
            units.SelectMany(u => u.Products.Select(p => new object?[] { u.Id, p.Product.Code, Capacity(u, p) })));
        await dialect.BulkInsertAsync(connection, transaction, "liaisons", LiaisonColumns, units.SelectMany(Liaisons));
        await transaction.CommitAsync();
    }

    /// <summary>
    /// A licensed annual capacity a little above the unit's usual output at its seasonal peak, so that only a surge passes
    /// it (drawn from the unit alone: the rest of the demo stays as it was).
    /// </summary>
    private static decimal Capacity(DemoUnit unit, (Product Product, decimal Typical, decimal PriceUsd, double Seasonality) product) =>
        decimal.Round(product.Typical * (decimal)(unit.Scale * 12 * (1.15 + product.Seasonality)));

    private IEnumerable<object?[]> Liaisons(DemoUnit unit)
    {
        var count = _random.NextDouble() < 0.15 ? 2 : 1;
        for (var i = 0; i < count; i++)
        {
            var name = $"{DemoCatalogue.FirstNames[_random.Next(DemoCatalogue.FirstNames.Length)]} {DemoCatalogue.LastNames[_random.Next(DemoCatalogue.LastNames.Length)]}";
            var channel = _random.NextDouble();
            var email = channel < 0.9 ? string.Create(CultureInfo.InvariantCulture, $"unit{unit.LicenceNo}.{i + 1}@example.com") : null;
            var mobile = channel > 0.1 ? string.Create(CultureInfo.InvariantCulture, $"09{_random.Next(10, 40):D2}{_random.Next(0, 10_000_000):D7}") : null;
            if (i == 0)
            {
                unit.LiaisonName = name;
            }

            yield return [unit.Id, name, email, mobile];
        }
    }

    private async Task CreateUsersAsync(List<DemoUnit> units)
    {
        var accounts = new UserAccounts(database);
        var tehranUnit = units.First(u => u.ProvinceCode == "tehran");
        var isfahanUnit = units.First(u => u.ProvinceCode == "isfahan");
        var users = new (string UserName, string DisplayName, Role Role, string? Province, long? Unit)[]
        {
            ("admin", "مدیر سامانه", Role.Admin, null, null),
            ("ministry", "کارشناس وزارت صمت", Role.MinistryExpert, null, null),
            ("tehran-expert", "کارشناس آمار سازمان صمت تهران", Role.ProvincialExpert, "tehran", null),
            ("tehran-liaison", tehranUnit.LiaisonName, Role.Liaison, null, tehranUnit.Id),
            ("isfahan-expert", "کارشناس آمار سازمان صمت اصفهان", Role.ProvincialExpert, "isfahan", null),
            ("isfahan-liaison", isfahanUnit.LiaisonName, Role.Liaison, null, isfahanUnit.Id),
        };
        foreach (var (userName, displayName, role, province, unit) in users)
        {
            await accounts.CreateAsync(new User
            {
                UserName = userName, DisplayName = displayName, Role = role, ProvinceCode = province, UnitId = unit,
                Email = role == Role.Liaison ? null : $"{userName}@example.com",
            }, DemoPassword);
        }
    }

    private DemoReturn? CreateReturn(DemoUnit unit, JalaliPeriod period, int age, PeriodSchedule schedule, DateTimeOffset now, ref long nextId)
    {
        if (unit.StoppedAge is { } stopped && age < stopped)
        {
            return null;
        }

        var deadlinePassed = schedule.LateFrom <= now;
        var state = PickState(age, deadlinePassed);
        if (state is null)
        {
            return null;
        }

        var late = deadlinePassed && state != ReturnState.Draft && _random.NextDouble() < unit.Lateness;
        var submittedAt = late
            ? Between(schedule.LateFrom, Min(now, schedule.LateFrom.AddDays(20)))
            : Between(schedule.OpensAt.AddHours(8), Min(now, schedule.LateFrom.AddHours(-1)));
        var steps = Path(state.Value);
        var stepLength = TimeSpan.FromTicks(Math.Min(TimeSpan.FromDays(3).Ticks, (now - submittedAt).Ticks / (steps.Count + 1)));
        var province = _provinceNames[unit.ProvinceCode];

        var id = nextId++;
        var history = new List<object?[]>();
        var at = Between(Max(schedule.OpensAt, submittedAt.AddDays(-3)), submittedAt);
        ReturnState? from = null;
        for (var version = 0; version < steps.Count; version++)
        {
            var (to, role, reasons) = steps[version];
            at = version <= 1 ? (version == 0 ? at : submittedAt) : at + stepLength;
            var actor = role switch
            {
                ActorRole.Liaison => unit.LiaisonName,
                ActorRole.ProvincialExpert => $"کارشناس سازمان صمت {province}",
                _ => "کارشناس وزارت صمت",
            };
            var reason = reasons is null ? null : reasons[_random.Next(reasons.Length)];
            history.Add([id, at.UtcDateTime, actor, role.ToString(), from?.ToString(), to.ToString(), reason, version]);
            from = to;
        }

        var submitted = state != ReturnState.Draft;
        var row = new object?[]
        {
            id, unit.Id, period.ToString(), state.Value.ToString(), steps.Count - 1, unit.Employees + _random.Next(-5, 6),
            submitted ? submittedAt.UtcDateTime : null, late, at.UtcDateTime,
        };
        var lines = unit.Products.Select(p => Line(id, unit, p, period)).ToList();
        return new DemoReturn(row, lines, history, late);
    }

    private ReturnState? PickState(int age, bool deadlinePassed)
    {
        var roll = _random.NextDouble();
        (double Upto, ReturnState? State)[] table = (age, deadlinePassed) switch
        {
            (_, false) => [(0.40, null), (0.55, ReturnState.Draft), (0.85, ReturnState.Submitted), (0.92, ReturnState.ForwardedToMinistry), (1, ReturnState.ReturnedByProvince)],
            (1, _) => [(0.03, null), (0.05, ReturnState.Draft), (0.40, ReturnState.Registered), (0.62, ReturnState.ForwardedToMinistry), (0.82, ReturnState.Submitted), (0.93, ReturnState.ReturnedByProvince), (1, ReturnState.ReturnedByMinistry)],
            (2, _) => [(0.03, null), (0.78, ReturnState.Registered), (0.90, ReturnState.ForwardedToMinistry), (0.95, ReturnState.Submitted), (0.98, ReturnState.ReturnedByProvince), (1, ReturnState.ReturnedByMinistry)],
            _ => [(0.025, null), (0.975, ReturnState.Registered), (0.99, ReturnState.ForwardedToMinistry), (1, ReturnState.ReturnedByMinistry)],
        };
        return table.First(t => roll < t.Upto || t.Upto >= 1).State;
    }

    /// <summary>The history that leads to <paramref name="state"/>; now and then with a round trip back to the liaison.</summary>
    private List<(ReturnState To, ActorRole Role, string[]? Reasons)> Path(ReturnState state)
    {
        var steps = new List<(ReturnState, ActorRole, string[]?)> { (ReturnState.Draft, ActorRole.Liaison, null) };
        if (state == ReturnState.Draft)
        {
            return steps;
        }

        steps.Add((ReturnState.Submitted, ActorRole.Liaison, null));
        if (state != ReturnState.ReturnedByProvince && _random.NextDouble() < 0.08)
        {
            steps.Add((ReturnState.ReturnedByProvince, ActorRole.ProvincialExpert, DemoCatalogue.ProvinceReturnReasons));
            steps.Add((ReturnState.Submitted, ActorRole.Liaison, null));
        }

        switch (state)
        {
            case ReturnState.ReturnedByProvince:
                steps.Add((ReturnState.ReturnedByProvince, ActorRole.ProvincialExpert, DemoCatalogue.ProvinceReturnReasons));
                break;
            case ReturnState.ForwardedToMinistry:
                steps.Add((ReturnState.ForwardedToMinistry, ActorRole.ProvincialExpert, null));
                break;
            case ReturnState.ReturnedByMinistry:
                steps.Add((ReturnState.ForwardedToMinistry, ActorRole.ProvincialExpert, null));
                steps.Add((ReturnState.ReturnedByMinistry, ActorRole.MinistryExpert, DemoCatalogue.MinistryReturnReasons));
                break;
            case ReturnState.Registered:
                steps.Add((ReturnState.ForwardedToMinistry, ActorRole.ProvincialExpert, null));
                steps.Add((ReturnState.Registered, ActorRole.MinistryExpert, null));
                break;
        }

        return steps;
    }

    private object?[] Line(long returnId, DemoUnit unit, (Product Product, decimal Typical, decimal PriceUsd, double Seasonality) product, JalaliPeriod period)
    {
        // Peak in mid-summer (Tir/Mordad), trough in winter: construction and cooling products swing most.
        var season = 1 + product.Seasonality * Math.Sin(2 * Math.PI * (period.Month - 2) / 12.0);
        var noise = 0.9 + _random.NextDouble() * 0.2;
        var production = decimal.Round(product.Typical * (decimal)(unit.Scale * season * noise * Shock(returnId, product.Product.Code)), 1);
        var sales = decimal.Round(production * (decimal)(0.75 + _random.NextDouble() * 0.25), 1);
        decimal? exportQty = unit.Exports ? decimal.Round(production * (decimal)(0.05 + _random.NextDouble() * 0.3), 1) : null;
        decimal? exportValue = exportQty is { } q ? decimal.Round(q * product.PriceUsd * (decimal)(0.9 + _random.NextDouble() * 0.2), 2) : null;
        return [returnId, product.Product.Code, production, sales, exportQty, exportValue];
    }

    /// <summary>
    /// About one line in seventy stands out — a stoppage, an extra shift, a slip of the keyboard — so that the reviewers'
    /// outlier marks have something to show. Drawn from the return and product rather than the random stream, so the
    /// rest of the demo stays as it was.
    /// </summary>
    private static double Shock(long returnId, string productCode)
    {
        var draw = ((ulong)returnId * 2654435761UL + (ulong)productCode.Sum(c => c)) % 140;
        return draw == 0 ? 2.5 : draw == 1 ? 0.3 : 1.0;
    }

    private async Task InsertReturnsAsync(IEnumerable<DemoReturn> returns)
    {
        var list = returns.ToList();
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var dialect = database.Dialect;
        await dialect.BulkInsertAsync(connection, transaction, "returns", ReturnColumns, list.Select(r => r.Row));
        await dialect.ResetIdentityAsync(connection, transaction, "returns");
        await dialect.BulkInsertAsync(connection, transaction, "return_lines", LineColumns, list.SelectMany(r => r.Lines));
        await dialect.BulkInsertAsync(connection, transaction, "return_history", HistoryColumns, list.SelectMany(r => r.History));
        await transaction.CommitAsync();
        // The next period's flags and reactivations read these rows: planned on what is there, not on an empty table.
        await database.AnalyzeAsync("returns");
    }

    private DateTimeOffset Between(DateTimeOffset from, DateTimeOffset to) =>
        to <= from ? from : from + TimeSpan.FromTicks((long)(_random.NextDouble() * (to - from).Ticks));

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private sealed class DemoUnit
    {
        public long Id { get; init; }
        public required string LicenceNo { get; init; }
        public required string Name { get; init; }
        public required string ProvinceCode { get; init; }
        public required string Isic { get; init; }
        public required (Product Product, decimal Typical, decimal PriceUsd, double Seasonality)[] Products { get; init; }
        public double Scale { get; init; }
        public int Employees { get; init; }
        public bool Exports { get; init; }
        public int? StoppedAge { get; init; }
        public double Lateness { get; init; }
        public DateTime CreatedAt { get; init; }
        public string LiaisonName { get; set; } = "";
    }

    private sealed record DemoReturn(object?[] Row, List<object?[]> Lines, List<object?[]> History, bool Late);
}
