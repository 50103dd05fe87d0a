using System.Collections.Concurrent;
using BatchEngine.Data;
using Microsoft.Extensions.Options;

namespace BatchEngine.Dashboard;

/// <summary>
/// Failed sign-ins counted per client address and per (address, user name) over a sliding window: past the limits, that
/// address is refused for that name (or for all names) until old failures leave the window. Nobody can lock a known
/// account out for its owner: the owner signs in from another address. Kept in the host's memory: each Dashboard
/// process counts its own (README says so).
/// </summary>
public sealed class SignInThrottle(IOptions<SignInOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new();
    private readonly int _perName = options.Value.MaxFailures;
    private readonly int _perAddress = options.Value.MaxFailuresPerAddress;
    private readonly TimeSpan _window = TimeSpan.FromMinutes(options.Value.WindowMinutes);

    public bool Allows(string address, string userName) =>
        Count(NameKey(address, userName)) < _perName && Count(address) < _perAddress;

    public void Failed(string address, string userName)
    {
        Add(NameKey(address, userName));
        Add(address);
    }

    public void Succeeded(string address, string userName) => _failures.TryRemove(NameKey(address, userName), out _);

    private static string NameKey(string address, string userName) => $"{address}\n{userName.ToLowerInvariant()}";

    private int Count(string key)
    {
        if (!_failures.TryGetValue(key, out var failures))
        {
            return 0;
        }

        lock (failures)
        {
            Prune(failures);
            return failures.Count;
        }
    }

    private void Add(string key)
    {
        var failures = _failures.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        lock (failures)
        {
            Prune(failures);
            failures.Enqueue(time.GetUtcNow());
        }
    }

    private void Prune(Queue<DateTimeOffset> failures)
    {
        var since = time.GetUtcNow() - _window;
        while (failures.Count > 0 && failures.Peek() < since)
        {
            failures.Dequeue();
        }
    }
}

/// <summary>The Dashboard's <c>SignIn</c> section: how many failures, from one address, within how long.</summary>
public sealed class SignInOptions
{
    public int MaxFailures { get; set; } = 5;
    public int MaxFailuresPerAddress { get; set; } = 50;
    public int WindowMinutes { get; set; } = 15;

    public IEnumerable<string> Problems() => SettingProblem.Found(
        SettingProblem.Range("SignIn:MaxFailures", MaxFailures, 1, 1000),
        SettingProblem.Range("SignIn:MaxFailuresPerAddress", MaxFailuresPerAddress, Math.Max(1, MaxFailures), 100_000),
        SettingProblem.Range("SignIn:WindowMinutes", WindowMinutes, 1, 1440));
}
