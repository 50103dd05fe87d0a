using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace BatchEngine.Tests.Infrastructure;

/// <summary>A real SMTP server on a loopback port, in the test process: keeps every message it accepts, can refuse or go down.</summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly Store _store = new();
    private CancellationTokenSource? _running;
    private SmtpServer.SmtpServer? _server;
    private Task? _task;

    public TestSmtpServer(int? port = null) => Port = port ?? PostgresServer.FreePort();

    public int Port { get; }
    public IReadOnlyCollection<MimeMessage> Messages => _store.Messages.ToArray();

    /// <summary>While set, every message is refused with this temporary (4xx) or permanent (5xx) reply.</summary>
    public SmtpReplyCode? Refuse
    {
        get => _store.Refuse;
        set => _store.Refuse = value;
    }

    public TestSmtpServer Start()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_store);
        _running = new CancellationTokenSource();
        _server = new SmtpServer.SmtpServer(options, services);
        _task = _server.StartAsync(_running.Token);
        return this;
    }

    /// <summary>Takes the server down: new connections are refused until <see cref="Start"/>.</summary>
    public async Task StopAsync()
    {
        if (_running is null)
        {
            return;
        }

        _server!.Shutdown();
        await _running.CancelAsync();
        try
        {
            await _task!.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }

        _running.Dispose();
        _running = null;
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private sealed class Store : MessageStore
    {
        public ConcurrentQueue<MimeMessage> Messages { get; } = new();
        public SmtpReplyCode? Refuse { get; set; }

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (Refuse is { } code)
            {
                return new SmtpResponse(code, "refused by the test");
            }

            await using var stream = new MemoryStream(buffer.ToArray());
            Messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
