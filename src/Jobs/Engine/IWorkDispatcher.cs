using BatchEngine.Jobs.Notifications;

namespace BatchEngine.Jobs.Engine;

/// <summary>How the step's sending is carried out: as Hangfire jobs in the hosts, or right away on the command line.</summary>
public interface IWorkDispatcher
{
    /// <summary>Sends, or arranges to send, every message that is due at <paramref name="now"/>; returns what was sent here and now.</summary>
    Task<SendReport> DispatchAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>The command line's dispatcher: sends everything due in this process before <c>tick</c> returns.</summary>
public sealed class InlineDispatcher(NotificationSender sender) : IWorkDispatcher
{
    public Task<SendReport> DispatchAsync(DateTimeOffset now, CancellationToken cancellationToken) => sender.DrainAsync(now, cancellationToken);
}
