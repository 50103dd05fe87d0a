namespace BatchEngine.Jobs.Cli;

/// <summary>A mistake in how the program was called or what it was given: printed as one sentence, no stack trace.</summary>
public sealed class UserErrorException(string message, int exitCode = 2) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>The command word, its positional arguments and its <c>--name value</c> options and <c>--flag</c>s.</summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private CliArguments(string command, List<string> positional)
    {
        Command = command;
        Positional = positional;
    }

    public string Command { get; }
    public IReadOnlyList<string> Positional { get; }

    /// <param name="flags">Options that take no value.</param>
    public static CliArguments Parse(string[] args, IReadOnlySet<string> flags)
    {
        if (args.Length == 0)
        {
            throw new UserErrorException("No command given; run `batchengine help` for the list of commands.");
        }

        var parsed = new CliArguments(args[0], []);
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                ((List<string>)parsed.Positional).Add(arg);
                continue;
            }

            var name = arg[2..];
            string? value = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }
            else if (!flags.Contains(name))
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new UserErrorException($"Option --{name} needs a value.");
                }

                value = args[++i];
            }

            parsed._options[name] = value;
        }

        return parsed;
    }

    public string? Option(string name)
    {
        _read.Add(name);
        return _options.GetValueOrDefault(name);
    }

    public bool Flag(string name)
    {
        _read.Add(name);
        return _options.ContainsKey(name);
    }

    public string RequiredOption(string name, string example) =>
        Option(name) ?? throw new UserErrorException($"The {Command} command needs --{name} (for example --{name} {example}).");

    /// <summary>Refuses options the command did not read, so a typo is not silently ignored.</summary>
    public void RejectUnknownOptions()
    {
        var unknown = _options.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UserErrorException($"The {Command} command does not take --{unknown[0]}.");
        }
    }
}
