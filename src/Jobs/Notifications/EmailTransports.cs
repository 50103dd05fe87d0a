using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace BatchEngine.Jobs.Notifications;

/// <summary>Where e-mails go: a session is one reused connection (or one folder) through which many messages are sent.</summary>
public interface IEmailTransport
{
    Task<IEmailSession> OpenAsync(CancellationToken cancellationToken);
}

public interface IEmailSession : IAsyncDisposable
{
    /// <summary>Sends one message; throws <see cref="DeliveryException"/> saying whether to retry.</summary>
    Task SendAsync(MimeMessage message, string fileName, CancellationToken cancellationToken);
}

/// <summary>The embedded default: each message becomes an .eml file, written under a temporary name and then renamed.</summary>
public sealed class FileEmailTransport(string folder) : IEmailTransport, IEmailSession
{
    public Task<IEmailSession> OpenAsync(CancellationToken cancellationToken) => Task.FromResult<IEmailSession>(this);

    public async Task SendAsync(MimeMessage message, string fileName, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        await message.WriteToAsync(temporary, cancellationToken);
        // The same ledger row always has the same file name: a message sent again replaces itself.
        File.Move(temporary, path, overwrite: true);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>SMTP through MailKit: one authenticated connection per session, reused for every message.</summary>
public sealed class SmtpEmailTransport(SmtpOptions options) : IEmailTransport
{
    public async Task<IEmailSession> OpenAsync(CancellationToken cancellationToken)
    {
        var session = new Session(options);
        await session.ConnectAsync(cancellationToken);
        return session;
    }

    private sealed class Session(SmtpOptions options) : IEmailSession
    {
        private readonly SmtpClient _client = new() { Timeout = options.TimeoutSeconds * 1000 };
        private int _sent;

        public async Task ConnectAsync(CancellationToken cancellationToken)
        {
            try
            {
                await _client.ConnectAsync(options.Host!, options.Port, Enum.Parse<SecureSocketOptions>(options.Security, ignoreCase: true), cancellationToken);
                if (!string.IsNullOrEmpty(options.UserName))
                {
                    await _client.AuthenticateAsync(options.UserName, options.Password ?? "", cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw Classify(e);
            }
        }

        public async Task SendAsync(MimeMessage message, string fileName, CancellationToken cancellationToken)
        {
            if (_client.IsConnected && _sent >= options.MaxMessagesPerConnection)
            {
                await _client.DisconnectAsync(quit: true, cancellationToken);
            }

            if (!_client.IsConnected)
            {
                await ConnectAsync(cancellationToken);
                _sent = 0;
            }

            try
            {
                await _client.SendAsync(message, cancellationToken);
                _sent++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw Classify(e);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_client.IsConnected)
            {
                try
                {
                    await _client.DisconnectAsync(quit: true);
                }
                catch (Exception e) when (e is IOException or SocketException or ServiceNotConnectedException or SmtpProtocolException)
                {
                    // The messages are already marked; a connection that breaks while saying goodbye loses nothing.
                }
            }

            _client.Dispose();
        }

        /// <summary>A 4xx reply or a broken connection may pass later; a 5xx reply will not.</summary>
        private static DeliveryException Classify(Exception e) => e switch
        {
            SmtpCommandException command => new DeliveryException(
                $"SMTP server replied {(int)command.StatusCode}: {command.Message}", (int)command.StatusCode < 500, e),
            AuthenticationException => new DeliveryException($"SMTP authentication failed: {e.Message}", retryable: false, e),
            _ => new DeliveryException($"SMTP server unreachable or connection lost: {e.Message}", retryable: true, e),
        };
    }
}
