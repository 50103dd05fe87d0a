using BatchEngine.Jobs.Notifications;
using BatchEngine.Jobs.Partners;

namespace BatchEngine.Jobs.Engine;

/// <summary>How the step's sending is carried out: as Hangfire jobs in the hosts, or right away on the command line.</summary>
public interface IWorkDispatcher
{
    /// <summary>Sends, or arranges to send, every message that is due at <paramref name="now"/>; returns what was sent here and now.</summary>
    Task<SendReport> DispatchAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Delivers to the partners that are due, or arranges it; returns what was done or arranged, one line each.</summary>
    Task<IReadOnlyList<ReportLine>> DeliverAsync(IReadOnlyList<PartnerOptions> partners, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>The command line's dispatcher: sends everything due in this process before <c>tick</c> returns.</summary>
public sealed class InlineDispatcher(NotificationSender sender, PartnerDelivery delivery) : IWorkDispatcher
{
    public Task<SendReport> DispatchAsync(DateTimeOffset now, CancellationToken cancellationToken) => sender.DrainAsync(now, cancellationToken);

    public async Task<IReadOnlyList<ReportLine>> DeliverAsync(IReadOnlyList<PartnerOptions> partners, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await delivery.RunAllAsync(partners, now, cancellationToken)).SelectMany(p => p.Outcomes).Select(o => o.ToReportLine()).ToList();
}
