using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BatchEngine.Data;
using BatchEngine.Data.Migrations;
using Npgsql;

namespace BatchEngine.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server for the test run: initdb and pg_ctl on a temporary folder and a free loopback
/// port, started once and stopped at the end. Each test gets its own database copied from a migrated template.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string Template = "batchengine_template";
    private static int _counter;
    private readonly string _directory;
    private readonly string _bin;

    private readonly bool _durable;

    private PostgresServer(string directory, string bin, int port, bool durable)
    {
        _directory = directory;
        _bin = bin;
        Port = port;
        _durable = durable;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Timeout=15;Include Error Detail=true";

    /// <param name="durable">
    /// Commits on disk before they are acknowledged, as in production: for a test that crashes the server itself. The
    /// run's shared server trades that for speed (the tests kill clients, never it).
    /// </param>
    public static async Task<PostgresServer> StartAsync(bool durable = false)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").OrderDescending()
            .Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); .ci/run installs it.");
        var directory = Directory.CreateTempSubdirectory("batchengine-pg-").FullName;
        var port = FreePort();
        var server = new PostgresServer(directory, bin, port, durable);
        if (Environment.UserName == "root")
        {
            Run("chown", "-R", "postgres:postgres", directory);
        }

        server.RunAsPostgres($"initdb -D {directory}/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8");
        server.Start();

        await using (var admin = new NpgsqlConnection(server.ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Template}", admin);
            await create.ExecuteNonQueryAsync();
        }

        await new Migrator(Database.FromSetting(server.ConnectionString(Template))).MigrateAsync();
        NpgsqlConnection.ClearAllPools();
        return server;
    }

    /// <summary>Starts the server (again, after <see cref="Stop"/>) on its port.</summary>
    public void Start() => RunAsPostgres(
        $"pg_ctl -D {_directory}/data -l {_directory}/log -w -t 60 -o \"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 {(_durable ? "" : "-c fsync=off -c synchronous_commit=off -c full_page_writes=off ")}-c max_connections=300\" start");

    /// <summary>The server goes away at once (every connection cut), as a crash or a network failure would do it.</summary>
    public void Stop() => RunAsPostgres($"pg_ctl -D {_directory}/data -m immediate -w stop");

    /// <summary>A fresh, migrated database of its own.</summary>
    public Task<string> CreateDatabaseAsync() => CreateAsync("t", $"TEMPLATE {Template}");

    /// <summary>An empty database without the schema, for tests of the migrations themselves.</summary>
    public Task<string> CreateEmptyDatabaseAsync() => CreateAsync("e", "");

    private async Task<string> CreateAsync(string prefix, string options)
    {
        var name = $"{prefix}{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}";
        await using var admin = new NpgsqlConnection(ConnectionString("postgres"));
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name} {options}", admin);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            Stop();
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // initdb refuses to run as root: as root, the server runs as the postgres user.
    private void RunAsPostgres(string command)
    {
        var full = $"{_bin}/{command}";
        if (Environment.UserName == "root")
        {
            Run("su", "postgres", "-s", "/bin/bash", "-c", full);
        }
        else
        {
            Run("/bin/bash", "-c", full);
        }
    }

    private static void Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Under .ci/any-day the suite runs on a faked clock; the server, as the postgres user, cannot share its state and keeps the real one.
        start.Environment.Remove("LD_PRELOAD");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {stdout.Result}{stderr.Result}");
        }
    }
}
