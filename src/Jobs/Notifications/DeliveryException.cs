namespace BatchEngine.Jobs.Notifications;

/// <summary>
/// A message that could not be delivered. <see cref="Retryable"/> says whether trying again later may succeed
/// (server down, 4xx SMTP reply, 5xx gateway reply) or not (mailbox refused for good, gateway said the request is wrong).
/// </summary>
public sealed class DeliveryException(string message, bool retryable, Exception? inner = null) : Exception(message, inner)
{
    public bool Retryable { get; } = retryable;
}
