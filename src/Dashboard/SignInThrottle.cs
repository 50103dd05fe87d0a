using System.Collections.Concurrent;

namespace BatchEngine.Dashboard;

/// <summary>
/// Failed sign-ins counted per client address and per (address, user name) over a sliding window: past the limits, that
/// address is refused for that name (or for all names) until old failures leave the window. Nobody can lock a known
/// account out for its owner: the owner signs in from another address. Kept in the host's memory: each Dashboard
/// process counts its own (README says so).
/// </summary>
public sealed class SignInThrottle(IConfiguration configuration, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new();
    private readonly int _perName = configuration.GetValue("SignIn:MaxFailures", 5);
    private readonly int _perAddress = configuration.GetValue("SignIn:MaxFailuresPerAddress", 50);
    private readonly TimeSpan _window = TimeSpan.FromMinutes(configuration.GetValue("SignIn:WindowMinutes", 15));

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
