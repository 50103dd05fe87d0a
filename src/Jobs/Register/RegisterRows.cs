using System.Text.RegularExpressions;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Register;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Import;
using BatchEngine.Jobs.Notifications;

namespace BatchEngine.Jobs.Register;

public enum RegisterKind
{
    Units,
    Products,
    Liaisons,
    Users,
}

/// <summary>What register rows are checked against, read once per file.</summary>
public sealed record RegisterReference(IReadOnlySet<string> Provinces, IReadOnlySet<string> Products,
    IReadOnlyList<(string LicenceNo, string ProvinceCode, UnitStatus Status)> Units, IReadOnlyDictionary<string, AccountScope> Accounts)
{
    public IReadOnlyDictionary<string, string> UnitProvinces { get; } = Units.ToDictionary(u => u.LicenceNo, u => u.ProvinceCode);

    public static async Task<RegisterReference> LoadAsync(Data.Database database)
    {
        var register = new RegisterStore(database);
        return new RegisterReference(
            (await register.ProvincesAsync()).Select(p => p.Code).ToHashSet(),
            (await register.ProductsAsync()).Select(p => p.Code).ToHashSet(),
            await register.UnitScopesAsync(),
            await new UserAccounts(database).ScopesAsync());
    }
}

/// <summary>
/// The row rules of a register file (units, products, liaisons, users): the columns of each kind and what each field
/// must hold — Iran's formats where they are known (mobile 09 and nine digits, the national ID's check digit, ISIC Rev.4
/// classes of four digits) — and one identifier per row within a file. The only place these rules live.
/// </summary>
public sealed partial class RegisterRows(RegisterKind kind, RegisterReference reference, string? province, AccountManager manager)
{
    public static IReadOnlyList<string> Required(RegisterKind kind) => kind switch
    {
        RegisterKind.Products => ["code", "name", "unit_of_measure", "isic"],
        RegisterKind.Units => ["licence_no", "name", "isic"],
        RegisterKind.Liaisons => ["licence_no", "name"],
        _ => ["user_name", "display_name", "role"],
    };

    public static IReadOnlyList<string> Columns(RegisterKind kind) => kind switch
    {
        RegisterKind.Units => [.. Required(kind), "province", "products"],
        RegisterKind.Liaisons => [.. Required(kind), "mobile", "email", "national_id"],
        RegisterKind.Users => [.. Required(kind), "province", "licence_no", "email", "mobile", "national_id"],
        _ => Required(kind),
    };

    private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);

    /// <summary>The columns that hold people's words: inner ZWNJ kept, any digits allowed.</summary>
    private static readonly HashSet<string> Names = ["name", "display_name", "unit_of_measure"];

    /// <summary>The longest value each column holds; what the pages and reports show stays readable.</summary>
    public static int MaxLength(string column) => column switch
    {
        "name" or "display_name" => 200,
        "email" => 254,
        "products" => 2000,
        _ => 50,
    };

    /// <summary>The row as a record to upsert, or null with every problem added to <paramref name="errors"/>.</summary>
    public object? Check(CsvRow row, ColumnMap map, List<RowError> errors)
    {
        var before = errors.Count;
        if (ReturnRows.WrongFieldCount(row, map) is { } wrong)
        {
            errors.Add(wrong);
            return null;
        }

        if (!ReturnRows.Readable(row, map, errors, MaxLength, Names.Contains))
        {
            return null;
        }

        string? Need(string column, string expected) => ReturnRows.Required(row, map, column, expected, errors, Names.Contains(column));
        string? May(string column) => ReturnRows.Optional(row, map, column, Names.Contains(column));
        object? record = kind switch
        {
            RegisterKind.Products => Product(Need("code", "a product code"), Need("name", "the product's name"),
                Need("unit_of_measure", "a unit of measure such as تن"), Isic(row, map, errors)),
            RegisterKind.Units => Unit(row, map, errors, Need, May),
            RegisterKind.Liaisons => Liaison(row, map, errors, Need, May),
            _ => User(row, map, errors, Need, May),
        };

        if (record is not null && Key(record) is { } key && !_seen.TryAdd(key, row.Line))
        {
            errors.Add(new(row.Line, Required(kind)[0], key, $"{key} appears twice in the file (first on line {_seen[key]}); expected each once",
                $"{PersianText.Digits(key)} دو بار در فایل آمده است (نخستین بار در سطر {PersianText.Digits(_seen[key])})؛ هر کدام یک بار"));
        }

        return errors.Count > before ? null : record;
    }

    private static ProductRecord? Product(string? code, string? name, string? measure, string? isic) =>
        code is null || name is null || measure is null || isic is null ? null : new ProductRecord(code, name, measure, isic);

    private UnitRecord? Unit(CsvRow row, ColumnMap map, List<RowError> errors, Func<string, string, string?> need, Func<string, string?> may)
    {
        var licence = need("licence_no", "the operating licence number");
        var name = need("name", "the unit's name");
        var isic = Isic(row, map, errors);
        var unitProvince = may("province") ?? province;
        if (unitProvince is null)
        {
            errors.Add(new(row.Line, "province", "", "missing; expected a province code (or --province for the whole file)", "خالی است؛ کد استان لازم است"));
        }
        else if (!reference.Provinces.Contains(unitProvince))
        {
            errors.Add(new(row.Line, "province", unitProvince, "no such province; expected a code such as tehran or isfahan",
                "چنین استانی نیست؛ کد استانی مانند tehran یا isfahan لازم است"));
        }
        else if (province is not null && unitProvince != province)
        {
            errors.Add(new(row.Line, "province", unitProvince, $"this file is for province {province} only", "این فایل تنها برای استان شماست"));
        }

        if (licence is not null && province is not null && reference.UnitProvinces.TryGetValue(licence, out var registered) && registered != province)
        {
            errors.Add(OtherProvince(row, licence));
        }

        // Each product may carry the unit's licensed annual capacity of it: 2394-01=720000.
        var products = new List<string>();
        var capacities = new Dictionary<string, decimal>();
        foreach (var token in (may("products") ?? "").Split([' ', '|', '،'], StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = token.Split('=', 2);
            if (!reference.Products.Contains(parts[0]))
            {
                errors.Add(new(row.Line, "products", token, "not a product of the register; expected product codes separated by spaces or |, each with =capacity if known",
                    "کالایی با این کد در شناسنامهٔ کالاها نیست؛ کدهای کالا را با فاصله یا | از هم جدا کنید (ظرفیت سالانه در صورت وجود پس از =)"));
                continue;
            }

            var capacity = 0m;
            if (parts.Length == 2 && (ReturnRows.Number(PersianText.Code(parts[1]), out capacity) is not null || capacity <= 0))
            {
                errors.Add(new(row.Line, "products", token, "the annual capacity after = is not a positive number; expected e.g. 2394-01=720000",
                    "ظرفیت سالانهٔ پس از = عددی مثبت نیست؛ مانند 2394-01=720000 بنویسید"));
                continue;
            }

            if (!products.Contains(parts[0]))
            {
                products.Add(parts[0]);
            }

            if (parts.Length == 2)
            {
                capacities[parts[0]] = capacity;
            }
        }

        return licence is null || name is null || isic is null || unitProvince is null ? null : new UnitRecord(licence, name, unitProvince, isic, products, capacities);
    }

    private LiaisonRecord? Liaison(CsvRow row, ColumnMap map, List<RowError> errors, Func<string, string, string?> need, Func<string, string?> may)
    {
        var licence = KnownUnit(row, map, errors, need("licence_no", "the licence number of a unit in the register"));
        var name = need("name", "the liaison's name");
        var (mobile, email) = (Mobile(row, map, errors, may("mobile")), Email(row, map, errors, may("email")));
        if (may("mobile") is null && may("email") is null)
        {
            errors.Add(new(row.Line, "mobile", "", "a liaison needs a mobile number or an e-mail address", "رابط باید تلفن همراه یا رایانامه داشته باشد"));
        }

        var nationalId = NationalId(row, map, errors, may("national_id"));
        return licence is null || name is null ? null : new LiaisonRecord(licence, name, mobile, email, nationalId);
    }

    private UserRecord? User(CsvRow row, ColumnMap map, List<RowError> errors, Func<string, string, string?> need, Func<string, string?> may)
    {
        var userName = need("user_name", "a user name of letters, digits, dot, dash or underscore");
        if (userName is not null && !UserName().IsMatch(userName))
        {
            errors.Add(new(row.Line, "user_name", userName, "expected letters, digits, dot, dash or underscore (3 to 40)",
                "نام کاربری باید ۳ تا ۴۰ نویسه از حرف، رقم، نقطه، خط تیره یا زیرخط باشد"));
        }

        var displayName = need("display_name", "the person's name");
        Role? role = need("role", "Liaison, ProvincialExpert, MinistryExpert or Admin") is { } text
            ? Enum.TryParse<Role>(text, ignoreCase: true, out var parsed) ? parsed : null
            : null;
        if (role is null && ReturnRows.Optional(row, map, "role") is { } wrong)
        {
            errors.Add(new(row.Line, "role", wrong, "expected Liaison, ProvincialExpert, MinistryExpert or Admin",
                "نقش باید یکی از Liaison، ProvincialExpert، MinistryExpert یا Admin باشد"));
        }

        var userProvince = may("province");
        var licence = may("licence_no");
        if (role == Role.ProvincialExpert && (userProvince is null || !reference.Provinces.Contains(userProvince)))
        {
            errors.Add(new(row.Line, "province", userProvince ?? "", "a provincial expert needs the code of their province", "کارشناس استان به کد استان خود نیاز دارد"));
        }

        if (role == Role.Liaison)
        {
            licence = KnownUnit(row, map, errors, licence ?? need("licence_no", "a liaison user's unit"));
        }

        var scopeProvince = role == Role.Liaison && licence is not null ? reference.UnitProvinces[licence] : userProvince;
        if (province is not null && (role is Role.MinistryExpert or Role.Admin || scopeProvince != province))
        {
            errors.Add(new(row.Line, "role", role?.ToString() ?? "", $"this file creates users of province {province} only (its experts and its units' liaisons)",
                "این فایل تنها کاربران استان شما (کارشناسان آن و رابطان واحدهایش) را می‌سازد"));
        }

        if (userName is not null && role is not null
            && AccountAuthority.RefuseChange(manager, reference.Accounts.GetValueOrDefault(userName), new AccountScope(userName, role.Value, scopeProvince)) is { } refusal)
        {
            errors.Add(new(row.Line, "user_name", userName, refusal.English(), refusal.Persian()));
        }

        var email = Email(row, map, errors, may("email"));
        var mobile = Mobile(row, map, errors, may("mobile"));
        var nationalId = NationalId(row, map, errors, may("national_id"));
        return userName is null || displayName is null || role is null ? null : new UserRecord(userName, displayName, role.Value,
            role == Role.ProvincialExpert ? userProvince : null, role == Role.Liaison ? licence : null, email, mobile, nationalId);
    }

    private string? KnownUnit(CsvRow row, ColumnMap map, List<RowError> errors, string? licence)
    {
        if (licence is null)
        {
            return null;
        }

        if (!reference.UnitProvinces.TryGetValue(licence, out var unitProvince))
        {
            errors.Add(new(row.Line, "licence_no", ReturnRows.Field(row, map, "licence_no") ?? licence, "no unit with this licence number is in the register",
                "واحدی با این شماره پروانه در شناسنامهٔ واحدها نیست"));
            return null;
        }

        if (province is not null && unitProvince != province)
        {
            errors.Add(OtherProvince(row, licence));
            return null;
        }

        return licence;
    }

    private RowError OtherProvince(CsvRow row, string licence) => new(row.Line, "licence_no", licence,
        $"unit {licence} is not a unit of province {province}; this file is for province {province} only",
        $"واحد {PersianText.Digits(licence)} از واحدهای استان شما نیست؛ این فایل تنها برای استان شماست");

    private static string? Isic(CsvRow row, ColumnMap map, List<RowError> errors)
    {
        var isic = ReturnRows.Required(row, map, "isic", "an ISIC Rev.4 class of four digits", errors);
        if (isic is not null && !FourDigits().IsMatch(isic))
        {
            errors.Add(new(row.Line, "isic", isic, "expected an ISIC Rev.4 class of four digits such as 2394", "کد آیسیک (ویرایش ۴) باید چهار رقمی باشد، مانند ۲۳۹۴"));
            return null;
        }

        return isic;
    }

    private static string? Mobile(CsvRow row, ColumnMap map, List<RowError> errors, string? text)
    {
        if (text is null)
        {
            return null;
        }

        var mobile = MobileNumber.Normalise(text);
        if (mobile is null)
        {
            errors.Add(new(row.Line, "mobile", text, "expected a mobile number 09 and nine digits (+98 and 0098 accepted)",
                "شمارهٔ همراه باید ۰۹ و نُه رقم باشد (با +۹۸ یا ۰۰۹۸ هم پذیرفته است)"));
        }

        return mobile;
    }

    private static string? Email(CsvRow row, ColumnMap map, List<RowError> errors, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!Notifications.EmailAddress.IsValid(text))
        {
            errors.Add(new(row.Line, "email", text, "expected an e-mail address such as name@example.ir", "نشانی رایانامه‌ای مانند name@example.ir لازم است"));
            return null;
        }

        return text.ToLowerInvariant();
    }

    private static string? NationalId(CsvRow row, ColumnMap map, List<RowError> errors, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!IsNationalId(text))
        {
            errors.Add(new(row.Line, "national_id", text, "not a national ID (کد ملی): expected 10 digits with a valid check digit",
                "کد ملی نیست: ده رقم با رقم کنترل درست لازم است"));
            return null;
        }

        return text;
    }

    /// <summary>An Iranian national ID: 10 digits, not all the same, the last a check digit of the other nine.</summary>
    public static bool IsNationalId(string text)
    {
        if (text.Length != 10 || !text.All(char.IsAsciiDigit) || text.Distinct().Count() == 1)
        {
            return false;
        }

        var sum = Enumerable.Range(0, 9).Sum(i => (text[i] - '0') * (10 - i));
        var remainder = sum % 11;
        var check = text[9] - '0';
        return remainder < 2 ? check == remainder : check == 11 - remainder;
    }

    private static string Key(object record) => record switch
    {
        ProductRecord p => p.Code,
        UnitRecord u => u.LicenceNo,
        LiaisonRecord l => $"{l.LicenceNo}/{l.Mobile ?? l.Email}",
        UserRecord u => u.UserName,
        _ => "",
    };

    [GeneratedRegex("^[0-9]{4}$")]
    private static partial Regex FourDigits();

    [GeneratedRegex("^[A-Za-z0-9._-]{3,40}$")]
    private static partial Regex UserName();

}
