using BatchEngine.Data;
using BatchEngine.Data.Calendar;
using BatchEngine.Data.Periods;
using BatchEngine.Data.Register;
using BatchEngine.Data.Returns;
using BatchEngine.Jobs.Calendar;

namespace BatchEngine.Jobs.Cli;

/// <summary>
/// <c>closures add YYYY-MM-DD --province CODE --reason TEXT</c>: records a day one province's offices are closed (the
/// command line acts as the ministry); the engine's next step moves that province's deadlines still ahead that fall on it.
/// </summary>
internal static class ClosuresCommand
{
    public static async Task<int> RunAsync(CliArguments args, Database database, TimeProvider time, TextWriter output)
    {
        if (args.Positional is not ["add", var dayText])
        {
            throw new UserErrorException("closures needs add YYYY-MM-DD --province CODE --reason TEXT (for example: batchengine closures add 1405-09-10 --province tehran --reason \"…\").");
        }

        var province = args.RequiredOption("province", "tehran");
        var reason = args.RequiredOption("reason", "\"…\"");
        args.RejectUnknownOptions();
        if (!JalaliDate.TryParse(dayText, out var day))
        {
            throw new UserErrorException($"'{dayText}' is not a Jalali date; expected YYYY-MM-DD such as 1405-09-10.");
        }

        if (await new RegisterStore(database).FindProvinceAsync(province) is null)
        {
            throw new UserErrorException($"There is no province '{province}'.");
        }

        var added = await new ProvinceClosures(database).AddAsync(province, day.ToString(), reason, Actor.MinistryExpert("command line"), time.GetUtcNow().UtcDateTime);
        output.WriteLine(added
            ? $"Recorded {day} as a closure of {province}'s offices. The engine's next step (within the hour, or `batchengine tick`) moves {province}'s deadlines still ahead that fall on it."
            : $"{day} was already recorded as a closure of {province}; nothing changed.");
        return 0;
    }
}
