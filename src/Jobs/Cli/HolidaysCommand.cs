using BatchEngine.Data.Calendar;
using BatchEngine.Jobs.Calendar;
using BatchEngine.Jobs.Hosting;

namespace BatchEngine.Jobs.Cli;

/// <summary>
/// <c>holidays add YYYY-MM-DD --name TEXT</c>: adds an announced holiday to the holiday file (with who and when); the
/// engine's next step moves every deadline still ahead that falls on it.
/// </summary>
internal static class HolidaysCommand
{
    public static int Run(CliArguments args, EngineSettings settings, TimeProvider time, TextWriter output)
    {
        if (args.Positional is not ["add", var dateText])
        {
            throw new UserErrorException("holidays needs add YYYY-MM-DD --name TEXT (for example: batchengine holidays add 1405-12-10 --name \"…\").");
        }

        var name = args.RequiredOption("name", "\"…\"");
        args.RejectUnknownOptions();
        if (!JalaliDate.TryParse(dateText, out var date))
        {
            throw new UserErrorException($"'{dateText}' is not a Jalali date; expected YYYY-MM-DD such as 1405-12-10.");
        }

        try
        {
            HolidayFileEditor.Add(settings.HolidayFile, date, name, $"command line ({Environment.UserName})", time.GetUtcNow());
        }
        catch (HolidayRefusedException e)
        {
            throw new UserErrorException(e.Reason == HolidayRefusal.NoName
                ? "--name must name the holiday."
                : $"{date} is already a holiday ({e.Existing}); nothing was added.");
        }

        output.WriteLine($"Added {date} ({name.Trim()}) to {settings.HolidayFile}. The engine's next step (within the hour, or `batchengine tick`) moves every deadline still ahead that falls on it.");
        if (settings.CreateCalendar().HolidayGapAt(time.GetUtcNow()) is { } gap)
        {
            output.WriteLine($"Warning: {gap}");
        }

        return 0;
    }
}
