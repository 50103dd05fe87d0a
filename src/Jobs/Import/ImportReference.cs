using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Imports;
using BatchEngine.Data.Register;
using BatchEngine.Data.Status;
using BatchEngine.Jobs.Calendar;

namespace BatchEngine.Jobs.Import;

/// <summary>
/// What rows are checked against, read once per file: the register's units, the office's units' products, the open
/// periods and extensions, and — once per period met — the current returns of the office's units.
/// </summary>
public sealed class ImportReference
{
    private readonly ImportQueries _queries;
    private readonly Dictionary<string, UnitRow> _units;
    private readonly Dictionary<long, HashSet<string>> _products;
    private readonly Dictionary<JalaliPeriod, PeriodRow> _periods;
    private readonly Dictionary<(long, JalaliPeriod), DateTime> _extensions;
    private readonly HashSet<(long, JalaliPeriod)> _applied;
    private readonly HashSet<(long, JalaliPeriod)> _owedByClosed;
    private readonly Dictionary<JalaliPeriod, Dictionary<long, ExistingReturn>> _returns = new();

    private ImportReference(string province, ImportQueries queries, Dictionary<string, UnitRow> units, Dictionary<long, HashSet<string>> products,
        Dictionary<JalaliPeriod, PeriodRow> periods, Dictionary<(long, JalaliPeriod), DateTime> extensions, HashSet<(long, JalaliPeriod)> applied,
        HashSet<(long, JalaliPeriod)> owedByClosed)
    {
        _owedByClosed = owedByClosed;
        Province = province;
        _queries = queries;
        _units = units;
        _products = products;
        _periods = periods;
        _extensions = extensions;
        _applied = applied;
    }

    public string Province { get; }

    public static async Task<ImportReference> LoadAsync(Database database, string province, long? uploadId)
    {
        var queries = new ImportQueries(database);
        var units = new Dictionary<string, UnitRow>(StringComparer.Ordinal);
        foreach (var unit in await queries.UnitsAsync())
        {
            units[PersianText.Code(unit.LicenceNo)] = unit;
        }

        var products = new Dictionary<long, HashSet<string>>();
        foreach (var row in await queries.UnitProductsAsync(province))
        {
            if (!products.TryGetValue(row.UnitId, out var set))
            {
                products[row.UnitId] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.Add(row.ProductCode);
        }

        var periods = (await queries.OpenPeriodsAsync(province)).ToDictionary(p => p.Code);
        var extensions = new Dictionary<(long, JalaliPeriod), DateTime>();
        foreach (var extension in await queries.ExtensionsAsync(province))
        {
            extensions[(extension.UnitId, extension.Period)] = extension.LateFrom;
        }

        var applied = uploadId is null ? [] : (await queries.AppliedAsync(uploadId.Value)).ToHashSet();
        var owedByClosed = (await ExpectedUnits.OwedByClosedUnitsAsync(database, province)).ToHashSet();
        return new ImportReference(province, queries, units, products, periods, extensions, applied, owedByClosed);
    }

    public UnitRow? Unit(string licenceNo) => _units.GetValueOrDefault(licenceNo);

    public bool IsClosed(UnitRow unit) => unit.Status == nameof(UnitStatus.Closed);

    /// <summary>Whether a closed unit of the province closed after the period opened, and so still files it.</summary>
    public bool ClosedUnitOwes(long unitId, JalaliPeriod period) => _owedByClosed.Contains((unitId, period));

    /// <summary>The unit's registered product with this code (the stored string, so that a million rows share a few).</summary>
    public string? Product(long unitId, string code) =>
        _products.TryGetValue(unitId, out var set) && set.TryGetValue(code, out var stored) ? stored : null;

    public IEnumerable<string> Products(long unitId) => _products.GetValueOrDefault(unitId)?.Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>();

    /// <summary>The period when it is open.</summary>
    public JalaliPeriod? OpenPeriod(JalaliPeriod period) => _periods.GetValueOrDefault(period)?.Code;

    /// <summary>The first late instant for the unit: its extension when it has one, else the period's for its province.</summary>
    public DateTime LateFrom(long unitId, JalaliPeriod period) =>
        _extensions.TryGetValue((unitId, period), out var extended) ? extended : _periods[period].LateFrom;

    public bool AppliedByThisUpload(long unitId, JalaliPeriod period) => _applied.Contains((unitId, period));

    /// <summary>The unit's current return for the period, if any; the period's returns are read on first use.</summary>
    public async ValueTask<ExistingReturn?> ReturnAsync(long unitId, JalaliPeriod period)
    {
        if (!_returns.TryGetValue(period, out var returns))
        {
            returns = (await _queries.ReturnsAsync(Province, period)).ToDictionary(r => r.UnitId);
            _returns[period] = returns;
        }

        return returns.GetValueOrDefault(unitId);
    }
}
