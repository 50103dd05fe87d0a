using System.CommandLine;
using System.CommandLine.Help;

namespace BatchEngine.Jobs.Cli;

/// <summary>
/// The commands, their arguments and options, declared once for System.CommandLine: it answers <c>--help</c> on every
/// command and subcommand, and refuses an unknown option or a stray argument by name before anything runs. The
/// values are read by the commands themselves, with the product's parsers (Jalali instants, Persian digits).
/// </summary>
public static class CommandLineGrammar
{
    private sealed record Spec(string Path, string Description, string[] Arguments, params string[] Options);

    /// <summary>Each option's placeholder and what it means; <c>flag</c> options take no value.</summary>
    private static readonly Dictionary<string, (string? Value, string Description)> Options = new(StringComparer.Ordinal)
    {
        ["db"] = ("CONNECTION", "the database: a SQLite file path or a PostgreSQL connection string (Host=...); or BATCHENGINE_DB; default data/batchengine.db"),
        ["data"] = ("DIR", "the data folder (outbox, uploads, archives); default data/ beside config/"),
        ["units"] = ("N", "how many units the demo registers (default 767)"),
        ["periods"] = ("N", "how many periods of history the demo loads"),
        ["period"] = ("YYYY-MM", "a Jalali period such as 1405-08"),
        ["json"] = (null, "print JSON instead of text"),
        ["province"] = ("CODE", "a province code such as tehran"),
        ["now"] = ("INSTANT", "the instant to act as of: ISO 8601 with an offset, or a Jalali Tehran time such as 1405-09-10T09:00 (default now)"),
        ["dry-run"] = (null, "check only: report what would happen, change nothing"),
        ["report"] = ("OUT.csv", "write the error report to this file"),
        ["kind"] = ("units|products|liaisons|users", "which register file this is"),
        ["licence"] = ("NO", "the unit's operating licence number"),
        ["reason"] = ("TEXT", "why, recorded with the change"),
        ["at"] = ("INSTANT", "when the unit closed: ISO 8601 with an offset, or a Jalali Tehran time (default now)"),
        ["role"] = ("admin|ministry-expert|provincial-expert", "the account's role"),
        ["display-name"] = ("TEXT", "the name people see"),
        ["email"] = ("ADDRESS", "the account's e-mail address"),
        ["name"] = ("TEXT", "the holiday's name"),
        ["partner"] = ("NAME", "one partner (default: all configured)"),
        ["resend"] = ("SEQ", "send delivery SEQ again, byte for byte"),
        ["page"] = ("N", "which page of 100 (default 1)"),
        ["provisional"] = (null, "count returns still in review too, marked provisional"),
    };

    private static readonly Dictionary<string, string> ArgumentDescriptions = new(StringComparer.Ordinal)
    {
        ["FILE"] = "the CSV file", ["NAME"] = "the account's user name", ["YYYY-MM-DD"] = "a Jalali day such as 1405-12-10",
    };

    private static readonly Spec[] Commands =
    [
        new("migrate", "create or upgrade the database schema", []),
        new("demo-data", "load realistic demo data into an empty database", [], "units", "periods"),
        new("calendar", "when a period opens, its deadline and reminders", [], "period", "json"),
        new("status", "counts per state, on time / late / missing / not yet due / flagged", [], "period", "province", "now", "json"),
        new("tick", "run everything due at INSTANT (default now) and print it", [], "now"),
        new("import", "bulk-load a returns CSV as that province's office", ["FILE"], "province", "dry-run", "report"),
        new("register", "load and keep the register; close and reopen units", []),
        new("register import", "load a register file", ["FILE"], "kind", "province", "dry-run", "report"),
        new("register close", "close a unit: not expected for periods that open from then on", [], "licence", "reason", "at"),
        new("register reopen", "reopen a closed unit", [], "licence", "reason"),
        new("users", "accounts that do not come with the register", []),
        new("users add", "create an account (the first admin) with a one-time password", ["NAME"], "role", "province", "display-name", "email"),
        new("holidays", "the holiday file", []),
        new("holidays add", "add an announced holiday to the holiday file", ["YYYY-MM-DD"], "name"),
        new("closures", "days a province's offices are closed", []),
        new("closures add", "record a day one province's offices are closed", ["YYYY-MM-DD"], "province", "reason"),
        new("deliver", "build and send what is due to partners (or send delivery SEQ again)", [], "partner", "now", "resend"),
        new("deliveries", "every delivery's status and attempts, 100 a page", [], "partner", "page"),
        new("statistics", "the monthly production table of the selected products (with imputations)", [], "period", "province", "provisional", "json"),
        new("statistics publish", "freeze the period's table as its next numbered publication", [], "period", "provisional"),
        new("worker", "run the engine (Hangfire server, Quartz scheduler) without the web", []),
    ];

    /// <summary>The commands that only read: they never migrate the database, and refuse one whose schema is behind.</summary>
    public static readonly IReadOnlySet<string> ReadOnly = new HashSet<string>(StringComparer.Ordinal) { "status", "deliveries", "statistics" };

    public static Command Build()
    {
        // Named for the program, whatever the host process is called (the tests run it inside theirs).
        var root = new Command("batchengine", "the monthly production statistics' deadline engine") { new HelpOption() };
        foreach (var global in new[] { "db", "data" })
        {
            var option = Create(global);
            option.Recursive = true;
            root.Options.Add(option);
        }

        var commands = new Dictionary<string, Command>(StringComparer.Ordinal);
        foreach (var spec in Commands)
        {
            var words = spec.Path.Split(' ');
            var command = new Command(words[^1], spec.Description);
            foreach (var argument in spec.Arguments)
            {
                command.Arguments.Add(new Argument<string>(argument) { Description = ArgumentDescriptions[argument] });
            }

            foreach (var name in spec.Options)
            {
                command.Options.Add(Create(name));
            }

            if (spec.Options.Length > 0)
            {
                // Runnable by itself even when it has subcommands (statistics; statistics publish); the program runs it, not the parser.
                command.SetAction(_ => 0);
            }

            (words.Length == 1 ? root : commands[words[0]]).Subcommands.Add(command);
            commands[spec.Path] = command;
        }

        return root;
    }

    /// <summary>
    /// Parses the command line into the command's words, arguments and options; null when it asked for help (printed
    /// to <paramref name="output"/>). A mistake is one sentence naming the option or argument.
    /// </summary>
    public static CliArguments? Parse(string[] args, TextWriter output)
    {
        var root = Build();
        var result = root.Parse(args is ["help", .. var rest] ? [.. rest, "--help"] : args);
        var command = result.CommandResult.Command;
        var path = string.Join(' ', Path(result.CommandResult).Skip(1));
        if (result.Action is HelpAction)
        {
            result.Invoke(new InvocationConfiguration { Output = output });
            return null;
        }

        if (result.UnmatchedTokens.Count > 0)
        {
            var token = result.UnmatchedTokens[0];
            throw new UserErrorException(command == root
                ? $"Unknown command '{token}'; run `batchengine --help` for the list of commands."
                : token.StartsWith('-')
                    ? $"The {path} command does not take {token}; run `batchengine {path} --help` for its options."
                    : $"The {path} command does not take the argument '{token}'; run `batchengine {path} --help`.");
        }

        if (command == root)
        {
            throw new UserErrorException("No command given; run `batchengine --help` for the list of commands.");
        }

        // A command with options of its own runs by itself too (statistics; statistics publish).
        if (command.Subcommands.Count > 0 && command.Options.Count == 0)
        {
            throw new UserErrorException($"{path} needs one of: {string.Join(", ", command.Subcommands.Select(c => c.Name))}; run `batchengine {path} --help`.");
        }

        if (result.Errors.Count > 0)
        {
            throw new UserErrorException($"{result.Errors[0].Message} Run `batchengine {path} --help`.");
        }

        var words = path.Split(' ');
        var positional = words.Skip(1).Concat(command.Arguments.Select(a => result.GetValue<string>(a.Name)!)).ToList();
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var option in command.Options.Concat(root.Options.Where(o => o.Recursive)))
        {
            if (result.GetResult(option) is { Implicit: false } found)
            {
                options[option.Name[2..]] = option is Option<bool> ? null : found.GetValueOrDefault<string>();
            }
        }

        return CliArguments.From(path, positional, options);
    }

    private static IEnumerable<string> Path(System.CommandLine.Parsing.CommandResult result) =>
        (result.Parent is System.CommandLine.Parsing.CommandResult parent ? Path(parent) : []).Append(result.Command.Name);

    private static Option Create(string name)
    {
        var (value, description) = Options[name];
        return value is null
            ? new Option<bool>("--" + name) { Description = description }
            : new Option<string>("--" + name) { Description = description, HelpName = value };
    }
}
