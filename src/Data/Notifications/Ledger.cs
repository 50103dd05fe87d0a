using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Dapper;

namespace BatchEngine.Data.Notifications;

/// <summary>A message that went out: its ledger row, to whom, and what was left out (invalid addresses), if anything.</summary>
public sealed record SentMessage(long Id, string Recipients, string? Note);

/// <summary>
/// A sender's hold on ledger rows: the token written on them, how many, and the lease as the sender sees it — on a
/// monotonic clock started before the claim (or the last renewal) was sent, so it ends no later than the lease the
/// database holds, however long the statement waited.
/// </summary>
public sealed class LedgerClaim
{
    private long _from;

    internal LedgerClaim(string token, int count, TimeSpan lease, long from)
    {
        Token = token;
        Count = count;
        Lease = lease;
        _from = from;
    }

    public string Token { get; }
    public int Count { get; }
    public TimeSpan Lease { get; }
    public TimeSpan Remaining => Lease - Stopwatch.GetElapsedTime(_from);

    internal void Renewed(long from) => _from = from;
}

/// <summary>
/// The claim-and-mark half shared by the two notification ledgers (<c>reminders</c>, <c>digests</c>): a sender
/// claims due rows with a token and a lease in the database's clock, sends, and marks each row as soon as it is sent,
/// so a crash repeats at most the messages in flight. Every write names the token: a sender whose rows were taken
/// over sees it in the count of rows its write changed.
/// </summary>
public sealed class Ledger(Database database, string table)
{
    public static Ledger Reminders(Database database) => new(database, "reminders");
    public static Ledger Digests(Database database) => new(database, "digests");

    private string Pending(string? channel) => $"status = 'Pending' AND not_before <= @now{ChannelFilter(channel)}";
    private string Expired(string? channel) => $"status = 'Sending' AND (lease_until IS NULL OR lease_until < {database.Dialect.Clock}){ChannelFilter(channel)}";
    private static string ChannelFilter(string? channel) => channel is null ? "" : " AND channel = @channel";

    /// <summary>
    /// Claims at most <paramref name="limit"/> due rows for <paramref name="lease"/>: pending ones whose time has come
    /// (<paramref name="now"/>, the batch's instant), then rows whose lease ran out in the database's clock. The rows
    /// are picked once (locked rows passed over) and checked again under the row lock, so two senders never hold
    /// the same row at once.
    /// </summary>
    public async Task<LedgerClaim?> ClaimAsync(string? channel, DateTime now, TimeSpan lease, int limit)
    {
        var token = Guid.NewGuid().ToString("N");
        var started = Stopwatch.GetTimestamp();
        await using var connection = await database.OpenAsync();
        var claimed = 0;
        foreach (var due in new[] { Pending(channel), Expired(channel) })
        {
            if (claimed >= limit)
            {
                break;
            }

            // One index-served statement per kind of due row, no ordering: a claim costs the same with 100 or 100,000 rows waiting.
            claimed += await connection.ExecuteAsync(
                $"""
                WITH picked AS MATERIALIZED (SELECT id FROM {table} WHERE {due} LIMIT @limit{database.Dialect.SkipLocked})
                UPDATE {table} SET status = 'Sending', claim_token = @token, claimed_at = {database.Dialect.Clock},
                    lease_until = {database.Dialect.ClockPlus("leaseSeconds")}, attempts = attempts + 1
                WHERE id IN (SELECT id FROM picked) AND {due}
                """,
                new { token, now = now.AsUtc(), leaseSeconds = lease.TotalSeconds, limit = limit - claimed, channel });
        }

        return claimed == 0 ? null : new LedgerClaim(token, claimed, lease, started);
    }

    /// <summary>
    /// Extends the lease of a live sender's rows; true when all <paramref name="held"/> rows were still its own.
    /// False means another sender took some over (or they were marked elsewhere): the claim is lost.
    /// </summary>
    public async Task<bool> RenewAsync(LedgerClaim claim, int held, DbConnection? connection = null)
    {
        var started = Stopwatch.GetTimestamp();
        await using var lease = await ConnectionAsync(connection);
        var renewed = await lease.Connection.ExecuteAsync(
            $"UPDATE {table} SET lease_until = {database.Dialect.ClockPlus("leaseSeconds")} WHERE claim_token = @token AND status = 'Sending'",
            new { token = claim.Token, leaseSeconds = claim.Lease.TotalSeconds });
        if (renewed < held)
        {
            return false;
        }

        claim.Renewed(started);
        return true;
    }

    /// <summary>A connection for one write: the sender's own when it holds one (one per parallel sender), else a pooled one.</summary>
    private async Task<ConnectionLease> ConnectionAsync(DbConnection? held) =>
        held is not null ? new ConnectionLease(held, owned: false) : new ConnectionLease(await database.OpenAsync(), owned: true);

    private readonly struct ConnectionLease(DbConnection connection, bool owned) : IAsyncDisposable
    {
        public DbConnection Connection { get; } = connection;

        public ValueTask DisposeAsync() => owned ? Connection.DisposeAsync() : ValueTask.CompletedTask;
    }

    /// <summary>
    /// Marks sent messages in one statement (one commit: a group commit of several parallel senders' messages), each
    /// with its recipients and what was left out; rows locked in id order first, so two senders marking at once cannot
    /// deadlock. Returns how many rows were still the claim's.
    /// </summary>
    public async Task<int> MarkSentAsync(IReadOnlyCollection<SentMessage> messages, string token, DateTime now, DbConnection? held = null)
    {
        if (messages.Count == 0)
        {
            return 0;
        }

        var parameters = new DynamicParameters(new { token, now = now.AsUtc() });
        var values = new List<string>(messages.Count);
        foreach (var (message, i) in messages.Select((m, i) => (m, i.ToString(CultureInfo.InvariantCulture))))
        {
            parameters.Add("i" + i, message.Id);
            parameters.Add("r" + i, message.Recipients);
            parameters.Add("n" + i, message.Note, DbType.String);
            values.Add($"(@i{i}, @r{i}, @n{i})");
        }

        await using var lease = await ConnectionAsync(held);
        return await lease.Connection.ExecuteAsync(
            $"""
            WITH sent (id, recipients, note) AS (VALUES {string.Join(", ", values)}),
                 locked AS MATERIALIZED (SELECT id FROM {table} WHERE id IN (SELECT id FROM sent) ORDER BY id{database.Dialect.ForUpdate})
            UPDATE {table} SET status = 'Sent', sent_at = @now, recipients = sent.recipients, last_error = sent.note
            FROM sent
            WHERE {table}.id = sent.id AND {table}.id IN (SELECT id FROM locked) AND claim_token = @token AND status = 'Sending'
            """,
            parameters);
    }

    /// <summary>Back to pending, to be tried again from <paramref name="notBefore"/>; false when the row was no longer the claim's.</summary>
    public async Task<bool> MarkRetryAsync(long id, string token, string error, DateTime notBefore, DbConnection? held = null)
    {
        await using var lease = await ConnectionAsync(held);
        return await lease.Connection.ExecuteAsync(
            $"""
            UPDATE {table} SET status = 'Pending', not_before = @notBefore, last_error = @error, claim_token = NULL, lease_until = NULL
            WHERE id = @id AND claim_token = @token AND status = 'Sending'
            """,
            new { id, token, error, notBefore = notBefore.AsUtc() }) == 1;
    }

    /// <summary>A final outcome other than sent: failed for good, invalid address, or no longer needed; false when the row was no longer the claim's.</summary>
    public async Task<bool> MarkFinalAsync(long id, string token, DeliveryStatus status, string error, string? recipients, DbConnection? held = null)
    {
        await using var lease = await ConnectionAsync(held);
        return await lease.Connection.ExecuteAsync(
            $"UPDATE {table} SET status = @status, last_error = @error, recipients = @recipients WHERE id = @id AND claim_token = @token AND status = 'Sending'",
            new { id, token, status = status.ToString(), error, recipients }) == 1;
    }

    /// <summary>
    /// Gives back rows a sender holds but never tried (it stopped, or failed), due again at once for the next sender;
    /// the attempt their claim counted is taken back.
    /// </summary>
    public async Task<int> ReleaseAsync(string token, IReadOnlyCollection<long> ids)
    {
        if (ids.Count == 0)
        {
            return 0;
        }

        await using var connection = await database.OpenAsync();
        return await connection.ExecuteAsync(
            $"""
            UPDATE {table} SET status = 'Pending', claim_token = NULL, lease_until = NULL, attempts = attempts - 1
            WHERE id = @id AND claim_token = @token AND status = 'Sending'
            """,
            ids.Order().Select(id => new { id, token }));
    }

    /// <summary>
    /// How many rows are due now (per channel, or all): pending ones whose time has come and claims whose lease ran
    /// out; how long until the next pending row's time; how long until the first live claim's lease runs out.
    /// </summary>
    public async Task<LedgerDue> DueAsync(string? channel, DateTime now)
    {
        var parameters = new { now = now.AsUtc(), channel };
        await using var connection = await database.OpenAsync();
        var due = await connection.ExecuteScalarAsync<int>(
            $"SELECT COUNT(*) FROM {table} WHERE ({Pending(channel)}) OR ({Expired(channel)})", parameters);
        var waiting = await connection.ExecuteScalarAsync<DateTime?>(
            $"SELECT MIN(not_before) FROM {table} WHERE status = 'Pending' AND not_before > @now{ChannelFilter(channel)}", parameters);
        var leases = await connection.QuerySingleAsync<(DateTime? Until, DateTime Clock)>(
            $"SELECT MIN(lease_until), {database.Dialect.Clock} FROM {table} WHERE status = 'Sending'{ChannelFilter(channel)}", parameters);
        return new LedgerDue(due, waiting?.AsUtc() - now.AsUtc(), NotNegative(leases.Until?.AsUtc() - leases.Clock.AsUtc()));
    }

    private static TimeSpan? NotNegative(TimeSpan? span) => span < TimeSpan.Zero ? TimeSpan.Zero : span;
}

/// <summary>A ledger's work: rows due now, and how long until the next pending row's time and the first live lease's end.</summary>
public sealed record LedgerDue(int Due, TimeSpan? NextPendingIn, TimeSpan? LeaseEndsIn)
{
    public TimeSpan? NextIn => new[] { NextPendingIn, LeaseEndsIn }.Where(t => t is not null).Min();

    /// <summary>
    /// How long until a batch would find work: now while rows are due. A batch that ends with rows due (it gave back
    /// what it could not try, or rows were locked when it claimed) may be the last one running.
    /// </summary>
    public TimeSpan? WorkIn => Due > 0 ? TimeSpan.Zero : NextIn;
}
