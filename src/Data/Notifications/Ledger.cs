using System.Data.Common;
using Dapper;

namespace BatchEngine.Data.Notifications;

/// <summary>A message that went out: its ledger row, to whom, and what was left out (invalid addresses), if anything.</summary>
public sealed record SentMessage(long Id, string Recipients, string? Note);

/// <summary>
/// The claim-and-mark half shared by the two notification ledgers (<c>reminders</c>, <c>digests</c>): a sender
/// claims due rows with a token, sends, and marks each row as soon as it is sent, so a crash repeats at most the
/// messages in flight.
/// </summary>
public sealed class Ledger(Database database, string table)
{
    public static Ledger Reminders(Database database) => new(database, "reminders");
    public static Ledger Digests(Database database) => new(database, "digests");

    /// <summary>
    /// Claims up to <paramref name="limit"/> due rows: pending ones whose time has come, and rows whose sender's
    /// claim expired before <paramref name="leaseExpiredBefore"/>. The outer conditions are checked again under
    /// the row lock, so two senders never claim the same row.
    /// </summary>
    public async Task<string?> ClaimAsync(string? channel, DateTime now, DateTime leaseExpiredBefore, int limit)
    {
        var token = Guid.NewGuid().ToString("N");
        var channelFilter = channel is null ? "" : "AND channel = @channel";
        var pending = $"status = 'Pending' AND not_before <= @now {channelFilter}";
        var expired = $"status = 'Sending' AND claimed_at < @leaseExpiredBefore {channelFilter}";
        // One index-served statement per kind of due row, no ordering: a claim costs the same with 100 or 100,000 rows waiting.
        await using var connection = await database.OpenAsync();
        var parameters = new { token, now = now.AsUtc(), leaseExpiredBefore = leaseExpiredBefore.AsUtc(), limit, channel };
        var claimed = 0;
        foreach (var due in new[] { pending, expired })
        {
            claimed += await connection.ExecuteAsync(
                $"""
                UPDATE {table} SET status = 'Sending', claim_token = @token, claimed_at = @now, attempts = attempts + 1
                WHERE id IN (SELECT id FROM {table} WHERE {due} LIMIT @limit{database.Dialect.SkipLocked}) AND {due}
                """,
                parameters);
        }

        return claimed == 0 ? null : token;
    }

    /// <summary>A connection for one mark: the sender's own when it holds one (one per parallel sender), else a pooled one.</summary>
    private async Task<ConnectionLease> ConnectionAsync(DbConnection? held) =>
        held is not null ? new ConnectionLease(held, owned: false) : new ConnectionLease(await database.OpenAsync(), owned: true);

    private readonly struct ConnectionLease(DbConnection connection, bool owned) : IAsyncDisposable
    {
        public DbConnection Connection { get; } = connection;

        public ValueTask DisposeAsync() => owned ? Connection.DisposeAsync() : ValueTask.CompletedTask;
    }

    /// <summary>Keeps a live sender's claim from expiring while it works through its batch.</summary>
    public async Task RenewAsync(string token, DateTime now)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            $"UPDATE {table} SET claimed_at = @now WHERE claim_token = @token AND status = 'Sending'", new { token, now = now.AsUtc() });
    }

    /// <summary>Marks sent messages, several in one transaction (one commit), each with its recipients and what was left out.</summary>
    public async Task MarkSentAsync(IReadOnlyCollection<SentMessage> messages, string token, DateTime now, DbConnection? held = null)
    {
        if (messages.Count == 0)
        {
            return;
        }

        await using var lease = await ConnectionAsync(held);
        await using var transaction = await lease.Connection.BeginTransactionAsync();
        await lease.Connection.ExecuteAsync(
            $"UPDATE {table} SET status = 'Sent', sent_at = @now, recipients = @Recipients, last_error = @Note WHERE id = @Id AND claim_token = @token",
            messages.Select(m => new { m.Id, m.Recipients, m.Note, token, now = now.AsUtc() }), transaction);
        await transaction.CommitAsync();
    }

    /// <summary>Back to pending, to be tried again from <paramref name="notBefore"/>.</summary>
    public async Task MarkRetryAsync(long id, string token, string error, DateTime notBefore, DbConnection? held = null)
    {
        await using var lease = await ConnectionAsync(held);
        var connection = lease.Connection;
        await connection.ExecuteAsync(
            $"UPDATE {table} SET status = 'Pending', not_before = @notBefore, last_error = @error, claim_token = NULL WHERE id = @id AND claim_token = @token",
            new { id, token, error, notBefore = notBefore.AsUtc() });
    }

    /// <summary>A final outcome other than sent: failed for good, invalid address, or no longer needed.</summary>
    public async Task MarkFinalAsync(long id, string token, DeliveryStatus status, string error, string? recipients, DbConnection? held = null)
    {
        await using var lease = await ConnectionAsync(held);
        var connection = lease.Connection;
        await connection.ExecuteAsync(
            $"UPDATE {table} SET status = @status, last_error = @error, recipients = @recipients WHERE id = @id AND claim_token = @token",
            new { id, token, status = status.ToString(), error, recipients });
    }

    /// <summary>
    /// How many rows are due now (per channel, or all): pending ones whose time has come and claims that expired
    /// before <paramref name="leaseExpiredBefore"/>; and when the next one becomes due (a pending row's time, or a
    /// live claim's expiry given the lease).
    /// </summary>
    public async Task<(int Due, DateTime? Next)> DueAsync(string? channel, DateTime now, TimeSpan lease)
    {
        var filter = channel is null ? "" : "AND channel = @channel";
        var parameters = new { now = now.AsUtc(), expired = (now - lease).AsUtc(), channel };
        await using var connection = await database.OpenAsync();
        var due = await connection.ExecuteScalarAsync<int>(
            $"SELECT COUNT(*) FROM {table} WHERE (status = 'Pending' AND not_before <= @now OR status = 'Sending' AND claimed_at < @expired) {filter}",
            parameters);
        var waiting = await connection.ExecuteScalarAsync<DateTime?>(
            $"SELECT MIN(not_before) FROM {table} WHERE status = 'Pending' AND not_before > @now {filter}", parameters);
        var claimed = await connection.ExecuteScalarAsync<DateTime?>(
            $"SELECT MIN(claimed_at) FROM {table} WHERE status = 'Sending' AND claimed_at >= @expired {filter}", parameters);
        var next = new[] { waiting?.AsUtc(), claimed?.AsUtc() + lease }.Where(t => t is not null).Min();
        return (due, next);
    }
}
