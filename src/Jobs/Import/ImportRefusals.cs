using System.Globalization;
using System.Text;
using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;

namespace BatchEngine.Jobs.Import;

/// <summary>
/// The whole file is refused, for the one reason the message gives; nothing was changed. <see cref="Exception.Message"/>
/// is the English for logs and the command line, <see cref="Persian"/> what the office reads. Made only by <see cref="ImportRefusals"/>.
/// </summary>
public sealed class ImportRefusedException : Exception
{
    internal ImportRefusedException(string english, string persian) : base(english) => Persian = persian;

    public string Persian { get; }
}

/// <summary>Every reason a whole file is refused, in both languages: the one place they are worded.</summary>
public static class ImportRefusals
{
    public static ImportRefusedException NoFile(string path) => new(
        $"There is no file {path}.",
        "فایل پیدا نشد.");

    public static ImportRefusedException TooLarge(long bytes, long limit) => new(
        $"The file is {N(bytes)} bytes, over the limit of {N(limit)} bytes (Import:MaxFileBytes); split it by period or by unit.",
        $"حجم فایل {P(bytes)} بایت است و از سقف {P(limit)} بایت بیشتر است؛ آن را بر پایهٔ دوره یا واحد چند فایل کنید.");

    public static ImportRefusedException Empty() => new(
        "The file is empty; expected a header row and one row per unit, period and product.",
        "فایل خالی است؛ یک سطر سرستون و برای هر واحد، دوره و کالا یک سطر لازم است.");

    public static ImportRefusedException Utf16WithoutMark(long line) => new(
        $"Line {N(line)} holds NUL bytes: the file looks like UTF-16 without a byte order mark; save it as UTF-8 (or UTF-16 with a byte order mark).",
        $"سطر {P(line)} بایت تهی (NUL) دارد: فایل به نظر UTF-16 بدون نشانهٔ ترتیب بایت است؛ آن را با رمزگذاری UTF-8 ذخیره کنید.");

    public static ImportRefusedException ControlCharacter(long line, int code) => new(
        $"Line {N(line)} holds the control character 0x{code:X2}, which no text file has; expected a CSV file in UTF-8, UTF-16 or Windows-1256.",
        $"سطر {P(line)} نویسهٔ کنترلی 0x{code:X2} دارد که در فایل متنی نمی‌آید؛ فایل CSV با رمزگذاری UTF-8، UTF-16 یا Windows-1256 لازم است.");

    public static ImportRefusedException InvalidForMark(string mark, long line, long offset, string encoding) => new(
        $"The file starts with a {mark}, but line {N(line)} holds bytes that are not valid in that encoding (byte {N(offset)}); save it again as {encoding}.",
        $"فایل با نشانهٔ رمزگذاری {encoding} آغاز می‌شود اما سطر {P(line)} (بایت {P(offset)}) بایت‌هایی دارد که در این رمزگذاری درست نیست؛ فایل را دوباره با {encoding} ذخیره کنید.");

    public static ImportRefusedException DamagedUtf8(long multiByte, long line, long offset, long invalid) => new(
        $"The file is UTF-8 ({N(multiByte)} multi-byte characters) but line {N(line)} holds bytes that are not UTF-8 " +
        $"(byte {N(offset)}; {N(invalid)} such places in all); the file was damaged or pasted from two sources: save it again as UTF-8.",
        $"فایل با رمزگذاری UTF-8 است اما سطر {P(line)} (بایت {P(offset)}؛ روی هم {P(invalid)} جا) بایت‌هایی دارد که UTF-8 نیست؛ " +
        "فایل آسیب دیده یا از دو منبع چسبانده شده است: آن را دوباره با UTF-8 ذخیره کنید.");

    public static ImportRefusedException QuoteNeverClosed(long line, long linesAfter) => new(
        $"A quoted field opens on line {N(line)} (\") and is never closed: the {N(linesAfter)} lines after it would be read as one value; " +
        "close the quote, or remove it (a quote inside a value is written twice, in a value in quotes).",
        $"در سطر {P(line)} یک مقدار با گیومه (\") باز شده و بسته نشده است: {P(linesAfter)} سطر پس از آن یک مقدار خوانده می‌شد؛ " +
        "گیومه را ببندید یا بردارید (گیومهٔ درون مقدار دوبار نوشته می‌شود، در مقداری که در گیومه است).");

    public static ImportRefusedException ColumnTwice(string column, int first, int second) => new(
        $"The header names column {column} twice (fields {N(first)} and {N(second)}).",
        $"ستون {column} دو بار در سرستون آمده است (ستون‌های {P(first)} و {P(second)}).");

    public static ImportRefusedException MissingColumns(IReadOnlyList<string> missing, string[] header, IReadOnlyList<string> columns, IReadOnlyList<string> required) => new(
        $"The header lacks the required column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}; " +
        $"found: {(header.Length == 0 ? "no header" : string.Join(", ", header.Select(h => $"'{h}'")))}. " +
        $"Expected the columns {string.Join(", ", columns)} ({string.Join(", ", required)} required), separated by commas, semicolons or tabs.",
        $"سرستون فایل ستون لازم {string.Join("، ", missing)} را ندارد. ستون‌ها: {string.Join("، ", columns)} " +
        $"(لازم: {string.Join("، ", required)})، جداشده با ویرگول، نقطه‌ویرگول یا تب.");

    public static ImportRefusedException ChangedAfterUpload(string path) => new(
        $"The stored file {path} changed after it was uploaded; upload it again.",
        "فایل پس از بارگذاری تغییر کرده است؛ آن را دوباره بارگذاری کنید.");

    private static string N(long number) => number.ToString("N0", CultureInfo.InvariantCulture);

    private static string P(long number) => PersianText.Number(number);
}
