namespace BatchEngine.Jobs.Cli;

/// <summary>A mistake in how the program was called or what it was given: printed as one sentence, no stack trace.</summary>
public sealed class UserErrorException(string message, int exitCode = 2) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>
/// The command word, its subcommand words and arguments, and its <c>--name value</c> options and <c>--flag</c>s, as
/// <see cref="CommandLineGrammar"/> parsed them.
/// </summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private CliArguments(string path, List<string> positional)
    {
        Path = path;
        Command = path.Split(' ')[0];
        Positional = positional;
    }

    /// <summary>The command and its subcommand words (<c>register import</c>).</summary>
    public string Path { get; }

    public string Command { get; }
    public IReadOnlyList<string> Positional { get; }

    /// <summary>What the grammar parsed: the command's path, the subcommand words and arguments after the first word, and the options given.</summary>
    public static CliArguments From(string path, List<string> positional, IReadOnlyDictionary<string, string?> options)
    {
        var parsed = new CliArguments(path, positional);
        foreach (var (name, value) in options)
        {
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
