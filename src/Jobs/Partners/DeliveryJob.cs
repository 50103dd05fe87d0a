using BatchEngine.Jobs.Engine;
using BatchEngine.Jobs.Hosting;
using Hangfire;

namespace BatchEngine.Jobs.Partners;

/// <summary>A partner's delivery as a Hangfire job: what a scheduled slot, a due retry or an admin's "deliver now" enqueues.</summary>
public sealed class DeliveryJob(PartnerDelivery delivery, EngineSettings settings, TimeProvider time)
{
    [AutomaticRetry(Attempts = 10)]
    public async Task RunAsync(string partner, CancellationToken cancellationToken)
    {
        var options = settings.Partner(partner);
        var outcomes = await delivery.RunAsync(options, time.GetUtcNow(), cancellationToken);
        if (outcomes.FirstOrDefault(o => o.Error is not null) is { } failed)
        {
            throw new RetryLaterException(failed.ToString());
        }
    }

    [AutomaticRetry(Attempts = 0)]
    public async Task ResendAsync(string partner, int sequence, CancellationToken cancellationToken)
    {
        var outcome = await delivery.ResendAsync(settings.Partner(partner), sequence, time.GetUtcNow(), cancellationToken);
        if (outcome.Error is not null)
        {
            throw new RetryLaterException(outcome.ToString());
        }
    }
}
