using System.Diagnostics;
using System.Net.Sockets;

namespace BatchEngine.Tests.Infrastructure;

/// <summary>
/// A real OpenSSH <c>sshd</c> serving SFTP on a free loopback port, with a throwaway host key and user key in a
/// temporary folder; it can be stopped and started again on the same port to play a partner's server going down.
/// </summary>
public sealed class SftpServer : IDisposable
{
    private const string Sshd = "/usr/sbin/sshd";
    private readonly string _directory;
    private Process? _process;

    public SftpServer()
    {
        if (!File.Exists(Sshd))
        {
            Assert.Fail($"{Sshd} is missing: the SFTP tests need Debian's openssh-server (.ci/run installs it).");
        }

        _directory = Directory.CreateTempSubdirectory("batchengine-sshd-").FullName;
        Port = PostgresServer.FreePort();
        RemoteFolder = Path.Combine(_directory, "inbox");
        Directory.CreateDirectory(RemoteFolder);
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", HostKey);
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", UserKey);
        File.Copy(UserKey + ".pub", Path.Combine(_directory, "authorized_keys"));
        HostKeySha256 = Run("ssh-keygen", "-l", "-E", "sha256", "-f", HostKey + ".pub").Split(' ')[1];
        File.WriteAllText(Config, $"""
            Port {Port}
            ListenAddress 127.0.0.1
            HostKey {HostKey}
            PidFile {_directory}/sshd.pid
            AuthorizedKeysFile {_directory}/authorized_keys
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            StrictModes no
            UsePAM no
            Subsystem sftp internal-sftp
            LogLevel ERROR
            """);
        // sshd checks for its privilege separation directory even when it never drops to it for internal-sftp.
        Directory.CreateDirectory("/run/sshd");
        Start();
    }

    public int Port { get; }
    public string User => Environment.UserName;
    public string UserKey => Path.Combine(_directory, "user_ed25519");
    public string HostKeySha256 { get; }
    public string RemoteFolder { get; }

    private string HostKey => Path.Combine(_directory, "host_ed25519");
    private string Config => Path.Combine(_directory, "sshd_config");

    public void Start()
    {
        _process = Process.Start(new ProcessStartInfo(Sshd, ["-D", "-e", "-f", Config]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (waited.Elapsed < TimeSpan.FromSeconds(20) && !_process.HasExited)
            {
                Thread.Sleep(50);
            }
            catch (SocketException)
            {
                Assert.Fail($"sshd did not start: {(_process.HasExited ? _process.StandardError.ReadToEnd() : "no answer on port " + Port)}");
            }
        }
    }

    /// <summary>The server goes away (connections are refused) until <see cref="Start"/>.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Stop();
        Directory.Delete(_directory, recursive: true);
    }

    private static string Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} failed: {process.StandardError.ReadToEnd()}");
    }
}
