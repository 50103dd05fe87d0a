using System.Globalization;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Imports;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;

namespace BatchEngine.Jobs.Import;

/// <summary>
/// One problem of the file: the line it starts on, the column, the value as written and what was expected — in English
/// (<see cref="Error"/>, for logs and the command line) and in Persian (<see cref="Persian"/>, the office's error report).
/// </summary>
public sealed record RowError(int Line, string Column, string Value, string Error, string Persian);

/// <summary>Where each known column sits in the file's rows; columns the file has but the import does not know are ignored.</summary>
public sealed record ColumnMap(IReadOnlyDictionary<string, int> Index, int FieldCount, IReadOnlyList<string> Ignored)
{
    /// <summary>The known columns and their positions, as an array: every row walks them.</summary>
    public KeyValuePair<string, int>[] Known { get; } = [.. Index];
}

/// <summary>A row whose own fields passed; it still fails when its return does (another row of the same return has an error).</summary>
public sealed record ReturnRow(int Line, string UnitKey, string PeriodKey, long UnitId, JalaliPeriod Period, string Product,
    decimal Production, decimal? Sales, decimal? ExportQty, decimal? ExportValueUsd, int? Employees);

/// <summary>What the rows of one return (one unit and period) added up to while the file was read.</summary>
public sealed class ReturnTally(int index, int firstLine, string unitKey)
{
    public string UnitKey { get; } = unitKey;
    public int Index { get; } = index;
    public int FirstLine { get; } = firstLine;
    public bool Rejected { get; set; }
    public bool AppliedBefore { get; set; }
    public long UnitId { get; set; }
    public JalaliPeriod Period { get; set; }
    public ExistingReturn? Existing { get; set; }
    public bool LateIfFirst { get; set; }
    public int? Employees { get; set; }
    public int EmployeesLine { get; set; }
    /// <summary>The products met so far and their lines; only needed while the file is read (<see cref="Forget"/>).</summary>
    public List<(string Product, int Line)> Products { get; private set; } = [];

    /// <summary>Frees what only the reading needed, before the returns are applied.</summary>
    public void Forget() => Products = [];
}

/// <summary>
/// The row rules of the bulk returns import (spec csv-returns.md): which columns a file needs, what each field must
/// hold, and what the rows of one return must agree on. The only place these rules live.
/// </summary>
public sealed class ReturnRows(ImportReference reference, DateTime now)
{
    public const string UnitId = "unit_id";
    public const string Period = "period";
    public const string ProductCode = "product_code";
    public const string Production = "production";
    public const string Sales = "sales";
    public const string ExportQty = "export_qty";
    public const string ExportValueUsd = "export_value_usd";
    public const string Employees = "employees";

    public static readonly IReadOnlyList<string> RequiredColumns = [UnitId, Period, ProductCode, Production];
    public static readonly IReadOnlyList<string> Columns = [.. RequiredColumns, Sales, ExportQty, ExportValueUsd, Employees];

    private const string Quantity = "a quantity ≥ 0 such as 1250 or 1250.5 (at most 4 decimals)";

    /// <summary>Maps the header; a missing required column or a column named twice refuses the whole file.</summary>
    public static ColumnMap MapHeader(string[] header) => MapHeader(header, Columns, RequiredColumns);

    /// <summary>The header of any of the product's CSV files: known columns in any order; unknown ones ignored and named in the summary.</summary>
    public static ColumnMap MapHeader(string[] header, IReadOnlyList<string> columns, IReadOnlyList<string> required)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var ignored = new List<string>();
        for (var i = 0; i < header.Length; i++)
        {
            var name = CsvFile.ColumnName(header[i]);
            if (!columns.Contains(name))
            {
                ignored.Add(header[i]);
            }
            else if (!index.TryAdd(name, i))
            {
                throw ImportRefusals.ColumnTwice(name, index[name] + 1, i + 1);
            }
        }

        var missing = required.Where(c => !index.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw ImportRefusals.MissingColumns(missing, header, columns, required);
        }

        return new ColumnMap(index, header.Length, ignored);
    }

    private readonly Dictionary<string, JalaliPeriod?> _periods = new(StringComparer.Ordinal);

    /// <summary>
    /// The grouping key of a row: the cleaned unit and period as written (a period in its canonical form when it is
    /// one), and the period when it could be read — a row whose period cannot be read may belong to any return of its unit.
    /// </summary>
    public (string Unit, string Period, JalaliPeriod? Read) Key(CsvRow row, ColumnMap map)
    {
        var unit = PersianText.Code(Field(row, map, UnitId) ?? "");
        var period = PersianText.Code(Field(row, map, Period) ?? "");
        return ParsePeriod(period) is { } read ? (unit, read.ToString(), read) : (unit, period, null);
    }

    /// <summary>The period as written, or null when it is not one; a file has few distinct texts, parsed once each.</summary>
    private JalaliPeriod? ParsePeriod(string cleaned)
    {
        if (!_periods.TryGetValue(cleaned, out var read))
        {
            read = JalaliPeriod.TryParse(cleaned, out var parsed) ? parsed : null;
            if (_periods.Count < 10_000)
            {
                _periods[cleaned] = read;
            }
        }

        return read;
    }

    /// <summary>Checks one row's own fields; adds every problem to <paramref name="errors"/>; returns the row when it has none.</summary>
    public async ValueTask<ReturnRow?> CheckAsync(CsvRow row, ColumnMap map, (string Unit, string Period, JalaliPeriod? Read) key, ReturnTally tally,
        List<RowError> errors)
    {
        var before = errors.Count;
        if (row.BadQuoting)
        {
            errors.Add(new(row.Line, "(row)", "", "a quote inside a field that does not start with a quote; expected a field in quotes, with quotes inside doubled (\"\")",
                "گیومه درون مقداری آمده که با گیومه آغاز نشده است؛ مقدار را در گیومه بگذارید و گیومهٔ درون آن را دو بار بنویسید (\"\")"));
        }

        if (WrongFieldCount(row, map) is { } wrong)
        {
            errors.Add(wrong);
            return null;
        }

        if (!Readable(row, map, errors, _ => MaxFieldLength, _ => false))
        {
            return null;
        }

        var (unitKey, periodKey, _) = key;
        var unit = CheckUnit(row, map, unitKey, errors);
        var period = CheckPeriod(row, map, key, errors);
        var product = Required(row, map, ProductCode, "a product code of the unit", errors) is { } code && unit is not null
            ? CheckProduct(row, unit.Id, code, errors)
            : null;
        var production = QuantityField(row, map, Production, required: true, errors);
        var sales = QuantityField(row, map, Sales, required: false, errors);
        var exportQty = QuantityField(row, map, ExportQty, required: false, errors);
        var exportValue = QuantityField(row, map, ExportValueUsd, required: false, errors);
        var employees = EmployeesField(row, map, errors);

        if (unit is not null && period is { } known)
        {
            if (!CheckOwed(row, map, unit, known, errors))
            {
                return null;
            }

            if (tally.UnitId == 0)
            {
                tally.UnitId = unit.Id;
                tally.Period = known;
                tally.AppliedBefore = reference.AppliedByThisUpload(unit.Id, known);
                tally.Existing = await reference.ReturnAsync(unit.Id, known);
                tally.LateIfFirst = now >= reference.LateFrom(unit.Id, known);
            }

            if (!tally.AppliedBefore && tally.Existing is { } existing && !ReturnWorkflow.FiguresMayChange(existing.State))
            {
                errors.Add(new(row.Line, UnitId, Field(row, map, UnitId)!,
                    $"the return of unit {unitKey} for {known} is {existing.State}; its figures may not change (expected a return that is a draft, submitted or returned by the province)",
                    $"اظهارنامهٔ واحد {PersianText.Digits(unitKey)} برای دورهٔ {known.ToPersianDigits()} در وضعیت «{Refusals.StateName(existing.State)}» است و ارقامش دیگر تغییر نمی‌کند"));
            }
        }

        return errors.Count > before || unit is null || period is null || product is null || production is null
            ? null
            : new ReturnRow(row.Line, unitKey, periodKey, unit.Id, period.Value, product, production.Value, sales, exportQty, exportValue, employees);
    }

    /// <summary>The rules between the rows of one return: a product once, the same number of employees everywhere.</summary>
    public static void AddToReturn(ReturnTally tally, ReturnRow row, List<RowError> errors)
    {
        foreach (var (product, line) in tally.Products)
        {
            if (product == row.Product)
            {
                errors.Add(new(row.Line, ProductCode, row.Product,
                    $"product {row.Product} appears twice in the return of unit {row.UnitKey} for {row.Period} (first on line {line}); expected each product once",
                    $"کالای {PersianText.Digits(row.Product)} دو بار در اظهارنامهٔ واحد {PersianText.Digits(row.UnitKey)} برای دورهٔ {row.Period.ToPersianDigits()} آمده است (نخستین بار در سطر {PersianText.Digits(line)})؛ هر کالا یک بار"));
                return;
            }
        }

        tally.Products.Add((row.Product, row.Line));
        if (row.Employees is not { } employees)
        {
            return;
        }

        if (tally.Employees is { } earlier && earlier != employees)
        {
            errors.Add(new(row.Line, Employees, employees.ToString(CultureInfo.InvariantCulture),
                $"the return of unit {row.UnitKey} for {row.Period} gives {earlier} employees on line {tally.EmployeesLine}; expected the same number on every row",
                $"اظهارنامهٔ واحد {PersianText.Digits(row.UnitKey)} برای دورهٔ {row.Period.ToPersianDigits()} در سطر {PersianText.Digits(tally.EmployeesLine)} {PersianText.Digits(earlier)} نفر کارکن دارد؛ همهٔ سطرها باید یک عدد داشته باشند"));
            return;
        }

        tally.Employees = employees;
        tally.EmployeesLine = tally.EmployeesLine == 0 ? row.Line : tally.EmployeesLine;
    }

    private Data.Imports.UnitRow? CheckUnit(CsvRow row, ColumnMap map, string key, List<RowError> errors)
    {
        // The key is the field cleaned already.
        if (key.Length == 0)
        {
            errors.Add(Missing(row, map, UnitId, "the unit's operating licence number"));
            return null;
        }

        var unit = reference.Unit(key);
        // One answer for a unit that does not exist and one of another province: a report tells nothing of other provinces.
        if (unit is not null && unit.ProvinceCode == reference.Province)
        {
            return unit;
        }

        errors.Add(new(row.Line, UnitId, Field(row, map, UnitId)!, $"no unit with licence number {key} is in the register of province {reference.Province}",
            $"واحدی با شماره پروانهٔ {PersianText.Digits(key)} در شناسنامهٔ واحدهای این استان نیست"));
        return null;
    }

    private JalaliPeriod? CheckPeriod(CsvRow row, ColumnMap map, (string Unit, string Period, JalaliPeriod? Read) key, List<RowError> errors)
    {
        if (key.Period.Length == 0)
        {
            errors.Add(Missing(row, map, Period, "a Jalali year and month such as 1404-07"));
            return null;
        }

        if (key.Read is not { } parsed)
        {
            errors.Add(new(row.Line, Period, Field(row, map, Period)!, "not a period; expected a Jalali year and month such as 1404-07 (or 1404/07, 1404-7)",
                "دوره نیست؛ سال و ماه شمسی مانند ۱۴۰۴-۰۷ (یا ۱۴۰۴/۰۷، ۱۴۰۴-۷) لازم است"));
            return null;
        }

        var open = reference.OpenPeriod(parsed);
        if (open is null)
        {
            errors.Add(new(row.Line, Period, Field(row, map, Period)!, $"period {parsed} is not open for returns; expected a period that has opened",
                $"دورهٔ {parsed.ToPersianDigits()} برای ثبت آمار باز نیست؛ دوره‌ای که آغاز شده باشد لازم است"));
        }

        return open;
    }

    /// <summary>A closed unit still files the periods it owes (those that opened before it closed), and no later ones.</summary>
    private bool CheckOwed(CsvRow row, ColumnMap map, Data.Imports.UnitRow unit, JalaliPeriod period, List<RowError> errors)
    {
        if (!reference.IsClosed(unit) || reference.ClosedUnitOwes(unit.Id, period))
        {
            return true;
        }

        var refusal = Refusals.NotOwed(unit.LicenceNo, period);
        errors.Add(new(row.Line, UnitId, Field(row, map, UnitId)!, refusal.Message.TrimEnd('.'), refusal.Persian));
        return false;
    }

    private string? CheckProduct(CsvRow row, long unitId, string code, List<RowError> errors)
    {
        var product = reference.Product(unitId, code);
        if (product is null)
        {
            var registered = string.Join(", ", reference.Products(unitId));
            errors.Add(new(row.Line, ProductCode, code,
                $"product {code} is not one of the unit's registered products; expected one of: {(registered.Length == 0 ? "(none registered)" : registered)}",
                $"کالای {PersianText.Digits(code)} از کالاهای ثبت‌شدهٔ واحد نیست؛ کالاهای واحد: {(registered.Length == 0 ? "(هیچ)" : registered)}"));
        }

        return product;
    }

    private static decimal? QuantityField(CsvRow row, ColumnMap map, string column, bool required, List<RowError> errors)
    {
        // Most values are plain ASCII quantities, the same cleaned or not: read as they stand.
        if (Field(row, map, column) is { } raw && PlainQuantity(raw, out var plain) && Limit(plain) is null)
        {
            return plain;
        }

        var text = required ? Required(row, map, column, Quantity, errors) : Optional(row, map, column);
        if (text is null)
        {
            return null;
        }

        var problem = Number(text, out var value);
        if (problem is null)
        {
            return value;
        }

        errors.Add(new(row.Line, column, Field(row, map, column)!, $"{problem}; expected {Quantity}",
            $"{PersianProblem(problem)}؛ مقداری نامنفی مانند ۱۲۵۰ یا ۱۲۵۰٫۵ (حداکثر چهار رقم اعشار) لازم است"));
        return null;
    }

    private static int? EmployeesField(CsvRow row, ColumnMap map, List<RowError> errors)
    {
        if (Optional(row, map, Employees) is not { } text)
        {
            return null;
        }

        if (EmployeeCount(text, out var count) is not { } problem)
        {
            return count;
        }

        errors.Add(new(row.Line, Employees, Field(row, map, Employees)!, $"{problem}; expected a whole number of employees from 0 to {MaxEmployees.ToString("N0", CultureInfo.InvariantCulture)}",
            $"{PersianProblem(problem)}؛ تعداد کارکنان باید عددی صحیح از ۰ تا {PersianText.Number(MaxEmployees)} باشد"));
        return null;
    }

    /// <summary>More people than any unit in the country employs: a typo, not a figure.</summary>
    public const int MaxEmployees = 1_000_000;

    /// <summary>Reads a number of employees as <see cref="Number"/> reads quantities, whole and at most <see cref="MaxEmployees"/>; returns the problem, or null.</summary>
    public static string? EmployeeCount(string cleaned, out int count)
    {
        count = 0;
        var problem = Number(cleaned, out var value);
        if (problem is null && value != decimal.Truncate(value))
        {
            return "not a whole number";
        }

        if (problem is "too large" || (problem is null && value > MaxEmployees))
        {
            return "too large";
        }

        count = problem is null ? (int)value : 0;
        return problem;
    }

    /// <summary>The longest value a field of the import holds; a longer one is a paste gone wrong.</summary>
    public const int MaxFieldLength = 100;

    /// <summary>
    /// The checks of every file's known columns before any field is read for its meaning: a value longer than its
    /// column holds, or — outside names — digits of a script that is neither ASCII, Persian nor Arabic-Indic (refused by
    /// name rather than misread).
    /// </summary>
    public static bool Readable(CsvRow row, ColumnMap map, List<RowError> errors, Func<string, int> maxLength, Func<string, bool> isName)
    {
        var before = errors.Count;
        foreach (var (column, index) in map.Known)
        {
            var value = row.Fields[index];
            // Cleaning only removes characters, so a value within the limit as written is within it cleaned.
            if (value.Length > maxLength(column) && (isName(column) ? PersianText.Clean(value) : PersianText.Code(value)) is { } cleaned
                && cleaned.Length > maxLength(column))
            {
                errors.Add(new(row.Line, column, value,
                    $"too long ({cleaned.Length.ToString("N0", CultureInfo.InvariantCulture)} characters); expected at most {maxLength(column)} characters",
                    $"بیش از اندازه بلند است ({PersianText.Number(cleaned.Length)} نویسه)؛ حداکثر {PersianText.Number(maxLength(column))} نویسه"));
            }
            else if (!isName(column) && PersianText.ForeignDigit(value) is { } digit)
            {
                errors.Add(new(row.Line, column, value, ForeignDigits(digit),
                    $"با رقم‌های خط دیگری نوشته شده است ('{digit}')؛ رقم‌های فارسی (۰–۹)، عربی (٠–٩) یا لاتین (0–9) لازم است"));
            }
        }

        return errors.Count == before;
    }

    public static string ForeignDigits(char digit) =>
        $"written with digits of another script ('{digit}'); expected Persian (۰–۹), Arabic-Indic (٠–٩) or ASCII (0–9) digits";

    /// <summary>
    /// Reads a quantity: ASCII, Persian or Arabic-Indic digits, <c>.</c> or <c>٫</c> as the decimal point, <c>,</c> or
    /// <c>٬</c> between groups of three digits. Returns the problem, or null.
    /// </summary>
    public static string? Number(string cleaned, out decimal value) =>
        PlainQuantity(cleaned, out value) ? Limit(value) : AnyQuantity(cleaned, out value);

    /// <summary>The general reader of <see cref="Number"/>, for every form; a test holds the two to the same answers.</summary>
    public static string? AnyQuantity(string cleaned, out decimal value)
    {
        value = 0;
        var text = cleaned.Replace('٫', '.');
        if (text.Contains(',') || text.Contains('٬'))
        {
            var whole = text.Split('.')[0].TrimStart('-');
            var groups = whole.Split(',', '٬');
            if (groups[0].Length is < 1 or > 3 || groups.Skip(1).Any(g => g.Length != 3))
            {
                return "not a number (thousands separators must stand between groups of three digits)";
            }

            text = text.Replace(",", "", StringComparison.Ordinal).Replace("٬", "", StringComparison.Ordinal);
        }

        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value))
        {
            return "not a number";
        }

        if (value < 0)
        {
            return "negative";
        }

        if (decimal.Round(value, 4) != value)
        {
            return "more than 4 decimals";
        }

        return Limit(value);
    }

    private static string? Limit(decimal value) => value >= 10_000_000_000_000_000m ? "too large" : null;

    /// <summary>
    /// The common case read without the general parser (a million rows carry five quantities each): ASCII digits with
    /// at most one point and at most 4 decimals, 18 digits in all. Anything else goes the general way.
    /// </summary>
    private static bool PlainQuantity(string text, out decimal value)
    {
        value = 0;
        if (text.Length is 0 or > 19)
        {
            return false;
        }

        long mantissa = 0;
        var digits = 0;
        var point = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= '0' and <= '9')
            {
                mantissa = mantissa * 10 + (c - '0');
                digits++;
            }
            else if (c == '.' && point < 0)
            {
                point = i;
            }
            else
            {
                return false;
            }
        }

        var scale = point < 0 ? 0 : text.Length - point - 1;
        if (digits == 0 || digits > 18 || scale > 4 || point == 0 || (point > 0 && scale == 0))
        {
            return false;
        }

        value = new decimal((int)(mantissa & 0xFFFFFFFF), (int)(mantissa >> 32), 0, false, (byte)scale);
        return true;
    }

    public static string? Field(CsvRow row, ColumnMap map, string column) =>
        map.Index.TryGetValue(column, out var i) && i < row.Fields.Length ? row.Fields[i] : null;

    /// <summary>
    /// The cleaned value of a column, or null when the row leaves it empty: a code (<see cref="PersianText.Code"/>), or a
    /// name, which keeps the ZWNJ inside its words (<see cref="PersianText.Clean"/>).
    /// </summary>
    public static string? Optional(CsvRow row, ColumnMap map, string column, bool name = false) =>
        Field(row, map, column) is { } raw && (name ? PersianText.Clean(raw) : PersianText.Code(raw)) is { Length: > 0 } cleaned ? cleaned : null;

    /// <summary>The cleaned value of a required column; a missing one is an error naming what was expected.</summary>
    public static string? Required(CsvRow row, ColumnMap map, string column, string expected, List<RowError> errors, bool name = false)
    {
        var value = Optional(row, map, column, name);
        if (value is null)
        {
            errors.Add(Missing(row, map, column, expected));
        }

        return value;
    }

    private static RowError Missing(CsvRow row, ColumnMap map, string column, string expected) =>
        new(row.Line, column, Field(row, map, column) ?? "", $"missing; expected {expected}", $"خالی است؛ ستون {column} لازم است");

    /// <summary>A row with more or fewer fields than the header: its fields cannot be told apart.</summary>
    public static RowError? WrongFieldCount(CsvRow row, ColumnMap map) => row.Fields.Length == map.FieldCount
        ? null
        : new(row.Line, "(row)", row.Fields.Length.ToString(CultureInfo.InvariantCulture),
            $"the row has {row.Fields.Length} fields; expected {map.FieldCount} as in the header (a delimiter too many or too few?)",
            $"این سطر {PersianText.Digits(row.Fields.Length)} ستون دارد؛ همانند سرستون {PersianText.Digits(map.FieldCount)} ستون لازم است (جداکننده‌ای کم یا زیاد است؟)");

    /// <summary>The Persian of a problem <see cref="Number"/> or <see cref="EmployeeCount"/> names.</summary>
    public static string PersianProblem(string problem) => problem switch
    {
        "negative" => "منفی است",
        "more than 4 decimals" => "بیش از چهار رقم اعشار دارد",
        "too large" => "بیش از اندازه بزرگ است",
        "not a whole number" => "عدد صحیح نیست",
        _ when problem.Contains("groups of three", StringComparison.Ordinal) => "عدد نیست (جداکنندهٔ هزارگان باید میان گروه‌های سه‌رقمی بیاید)",
        _ => "عدد نیست",
    };
}
