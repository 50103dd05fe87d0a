using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BatchEngine.Bench;

/// <summary>
/// A minimal SMTP server on a loopback port that accepts and counts every message (RFC 5321 greeting, EHLO, MAIL,
/// RCPT, DATA with dot-termination, RSET, NOOP, QUIT). Fast enough that the benchmark measures the sender, not it.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _count;

    public SmtpSink()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int Count => Volatile.Read(ref _count);

    private async Task AcceptAsync()
    {
        var sessions = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                client.NoDelay = true;
                sessions.Add(ServeAsync(client));
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(sessions);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.Latin1);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = false };
            await Reply(writer, "220 localhost ESMTP sink");
            try
            {
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO":
                            await Reply(writer, "250-localhost\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SMTPUTF8");
                            break;
                        case "DATA":
                            await Reply(writer, "354 end with <CRLF>.<CRLF>");
                            while (await reader.ReadLineAsync(_stop.Token) is { } data && data != ".")
                            {
                            }

                            Interlocked.Increment(ref _count);
                            await Reply(writer, "250 ok");
                            break;
                        case "QUIT":
                            await Reply(writer, "221 bye");
                            return;
                        default:
                            await Reply(writer, "250 ok");
                            break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
            }
        }
    }

    private static async Task Reply(StreamWriter writer, string text)
    {
        await writer.WriteLineAsync(text);
        await writer.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
    }
}
