using Dapper;
using BatchEngine.Data.Returns;

namespace BatchEngine.Data.Partners;

/// <summary>The deliveries to partners: numbering, what each carried, attempts, and the registered figures still to send.</summary>
public sealed class Deliveries(Database database)
{
    private const string Columns = """
        id, partner, sequence, state, created_at AS CreatedAt, row_count AS RowCount, sha256, data_file AS DataFile,
        manifest_file AS ManifestFile, period_from AS PeriodFrom, period_to AS PeriodTo, attempts, next_attempt_at AS NextAttemptAt,
        delivered_at AS DeliveredAt, last_error AS LastError
        """;

    /// <summary>The partner's oldest delivery not yet delivered: it goes before anything new.</summary>
    public async Task<Delivery?> OutstandingAsync(string partner)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QueryFirstOrDefaultAsync<Delivery>(
            $"SELECT {Columns} FROM deliveries WHERE partner = @partner AND state <> @delivered ORDER BY sequence LIMIT 1",
            new { partner, delivered = nameof(DeliveryState.Delivered) });
    }

    public async Task<Delivery?> FindAsync(string partner, int sequence)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<Delivery>(
            $"SELECT {Columns} FROM deliveries WHERE partner = @partner AND sequence = @sequence", new { partner, sequence });
    }

    /// <summary>A page of the deliveries, of one partner or of all, newest first, with the total.</summary>
    public async Task<ListPage<Delivery>> PageAsync(string? partner, int page, int pageSize = ListPage.DefaultSize)
    {
        await using var connection = await database.OpenAsync();
        return await ListPage.QueryAsync<Delivery>(connection, Columns, "FROM deliveries WHERE @partner IS NULL OR partner = @partner", "id DESC",
            new { partner }, page, pageSize);
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> AttemptsAsync(long deliveryId)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<DeliveryAttempt>(
            "SELECT id, delivery_id AS DeliveryId, at, resend, succeeded, error, error_persian AS Problem FROM delivery_attempts WHERE delivery_id = @deliveryId ORDER BY id",
            new { deliveryId })).AsList();
    }

    /// <summary>Partners with a failed delivery whose next attempt is due.</summary>
    public async Task<IReadOnlyList<string>> DueRetriesAsync(DateTime now)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<string>(
            "SELECT DISTINCT partner FROM deliveries WHERE state = @failed AND next_attempt_at <= @now",
            new { failed = nameof(DeliveryState.Failed), now = now.AsUtc() })).AsList();
    }

    private static readonly BulkColumn[] ItemColumns =
    [
        new("partner", "text"), new("return_id", "bigint"), new("version", "integer"), new("delivery_id", "bigint"), new("replaces", "boolean"),
    ];

    /// <summary>
    /// Builds the partner's next delivery if anything new was registered, all in one transaction: the next number (the
    /// partner's row stays locked until the end, so numbers have no gaps and two engines cannot build the same figures),
    /// the figures not yet delivered, streamed from the database into the files written by <paramref name="write"/> for
    /// that number (memory stays flat however many there are), and what they carry. A crash before the commit leaves no
    /// number used and the files are written again next time.
    /// </summary>
    public async Task<Delivery?> CreateNextAsync(string partner, PartnerFilter filter,
        Func<int, IAsyncEnumerable<RegisteredLine>, Task<DeliveryFiles>> write, DateTime now)
    {
        now = now.AsUtc();
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var sequence = await NextSequenceAsync(connection, transaction, partner);
        var lines = connection.QueryUnbufferedAsync<RegisteredLine>(
            $"""
            SELECT r.id AS ReturnId, r.version,
                   EXISTS (SELECT 1 FROM delivery_items d WHERE d.partner = @partner AND d.return_id = r.id) AS Replaces,
                   u.licence_no AS LicenceNo, u.name AS UnitName, u.province_code AS ProvinceCode, p.isic, r.period,
                   l.product_code AS ProductCode, p.name AS ProductName, p.unit_of_measure AS UnitOfMeasure, l.production, l.sales,
                   l.export_qty AS ExportQty, l.export_value_usd AS ExportValueUsd, r.employees,
                   (SELECT MAX(h.at) FROM return_history h WHERE h.return_id = r.id AND h.to_state = @registered) AS RegisteredAt
            FROM returns r
            JOIN units u ON u.id = r.unit_id
            JOIN return_lines l ON l.return_id = r.id
            JOIN products p ON p.code = l.product_code
            WHERE r.state = @registered
              AND NOT EXISTS (SELECT 1 FROM delivery_items d WHERE d.partner = @partner AND d.return_id = r.id AND d.version = r.version)
              AND (@all OR {database.Dialect.InList("l.product_code", "codes")} OR {database.Dialect.InList("p.isic", "isics")})
            ORDER BY r.period, u.licence_no, l.product_code
            """,
            new
            {
                partner, registered = nameof(ReturnState.Registered), all = filter.All,
                codes = filter.ProductCodes.ToArray(), isics = filter.IsicCodes.ToArray(),
            },
            transaction);
        var carried = new Dictionary<long, (int Version, bool Replaces)>();
        await using var rows = Carrying(lines, carried).GetAsyncEnumerator();
        if (!await rows.MoveNextAsync())
        {
            return null;
        }

        var files = await write(sequence, Remaining(rows));
        var id = await InsertAsync(connection, transaction, partner, sequence, files, now);
        await database.Dialect.BulkInsertAsync(connection, transaction, "delivery_items", ItemColumns,
            carried.Select(c => new object?[] { partner, c.Key, c.Value.Version, id, c.Value.Replaces }));
        await transaction.CommitAsync();
        return await FindAsync(partner, sequence);
    }

    /// <summary>The publications of the statistics not yet delivered to the partner, oldest first.</summary>
    public async Task<IReadOnlyList<long>> UndeliveredPublicationsAsync(string partner)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<long>(
            """
            SELECT p.id FROM statistics_publications p
            WHERE NOT EXISTS (SELECT 1 FROM delivery_publications d WHERE d.partner = @partner AND d.publication_id = p.id)
            ORDER BY p.id
            """,
            new { partner })).AsList();
    }

    /// <summary>
    /// Builds the partner's next delivery carrying a published table, in one transaction as <see cref="CreateNextAsync"/>
    /// does (the partner's row locked, so numbers have no gaps); null when another engine delivered it meanwhile.
    /// </summary>
    public async Task<Delivery?> CreateForPublicationAsync(string partner, long publicationId, Func<int, Task<DeliveryFiles>> write, DateTime now)
    {
        now = now.AsUtc();
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var sequence = await NextSequenceAsync(connection, transaction, partner);
        if (await connection.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM delivery_publications WHERE partner = @partner AND publication_id = @publicationId",
                new { partner, publicationId }, transaction) > 0)
        {
            return null;
        }

        var files = await write(sequence);
        var id = await InsertAsync(connection, transaction, partner, sequence, files, now);
        await connection.ExecuteAsync("INSERT INTO delivery_publications (partner, publication_id, delivery_id) VALUES (@partner, @publicationId, @id)",
            new { partner, publicationId, id }, transaction);
        await transaction.CommitAsync();
        return await FindAsync(partner, sequence);
    }

    /// <summary>The partner's next number; its row stays locked until the transaction ends.</summary>
    private static async Task<int> NextSequenceAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string partner)
    {
        await connection.ExecuteAsync(
            "INSERT INTO partner_state (partner, last_sequence) VALUES (@partner, 0) ON CONFLICT (partner) DO NOTHING", new { partner }, transaction);
        return await connection.ExecuteScalarAsync<int>(
            "UPDATE partner_state SET last_sequence = last_sequence + 1 WHERE partner = @partner RETURNING last_sequence", new { partner }, transaction);
    }

    private static Task<long> InsertAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string partner, int sequence,
        DeliveryFiles files, DateTime now) =>
        connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO deliveries (partner, sequence, state, created_at, row_count, sha256, data_file, manifest_file, period_from, period_to, attempts)
            VALUES (@partner, @sequence, @pending, @now, @RowCount, @Sha256, @DataFile, @ManifestFile, @PeriodFrom, @PeriodTo, 0)
            RETURNING id
            """,
            new { partner, sequence, pending = nameof(DeliveryState.Pending), now, files.RowCount, files.Sha256, files.DataFile, files.ManifestFile, files.PeriodFrom, files.PeriodTo },
            transaction);

    /// <summary>Passes the lines on, keeping one per return: what the delivery carries.</summary>
    private static async IAsyncEnumerable<RegisteredLine> Carrying(IAsyncEnumerable<RegisteredLine> lines, Dictionary<long, (int Version, bool Replaces)> carried)
    {
        await foreach (var line in lines)
        {
            carried.TryAdd(line.ReturnId, (line.Version, line.Replaces));
            yield return line;
        }
    }

    /// <summary>The current line and the rest, for an enumerator already moved onto its first line.</summary>
    private static async IAsyncEnumerable<RegisteredLine> Remaining(IAsyncEnumerator<RegisteredLine> started)
    {
        do
        {
            yield return started.Current;
        }
        while (await started.MoveNextAsync());
    }

    /// <summary>What an attempt says until its outcome is recorded: a kill mid-transfer leaves it so.</summary>
    public const string Unfinished = "started, no outcome recorded: still running, or the process ended mid-transfer";

    /// <summary>Records an attempt before it starts, so one cut off by a kill still shows; returns its id.</summary>
    public async Task<long> StartAttemptAsync(Delivery delivery, bool resend, DateTime now)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO delivery_attempts (delivery_id, at, resend, succeeded, error) VALUES (@id, @now, @resend, @succeeded, @error) RETURNING id",
            new { id = delivery.Id, now = now.AsUtc(), resend, succeeded = false, error = Unfinished });
    }

    /// <summary>
    /// Records an attempt's outcome (<paramref name="problem"/>: why it failed, in Persian); a failed first send waits until
    /// <paramref name="retryAt"/>, a re-send leaves the state as it was.
    /// </summary>
    public async Task FinishAttemptAsync(long attemptId, Delivery delivery, bool resend, string? error, string? problem, DateTime now, DateTime? retryAt)
    {
        now = now.AsUtc();
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "UPDATE delivery_attempts SET succeeded = @succeeded, error = @error, error_persian = @problem WHERE id = @attemptId",
            new { attemptId, succeeded = error is null, error, problem }, transaction);
        if (!resend)
        {
            await connection.ExecuteAsync(
                """
                UPDATE deliveries SET attempts = attempts + 1, state = @state, last_error = @error, next_attempt_at = @retryAt,
                    delivered_at = CASE WHEN @error IS NULL THEN @now ELSE delivered_at END
                WHERE id = @id
                """,
                new
                {
                    id = delivery.Id, state = (error is null ? DeliveryState.Delivered : DeliveryState.Failed).ToString(), error,
                    retryAt = error is null ? null : retryAt?.AsUtc(), now,
                },
                transaction);
        }

        await transaction.CommitAsync();
    }

    /// <summary>True once per scheduled slot of a partner: a second firing of the same slot does nothing.</summary>
    public async Task<bool> ClaimSlotAsync(string partner, DateTime slot)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "INSERT INTO partner_state (partner, last_sequence) VALUES (@partner, 0) ON CONFLICT (partner) DO NOTHING", new { partner }, transaction);
        var claimed = await connection.ExecuteAsync(
            "UPDATE partner_state SET last_slot_at = @slot WHERE partner = @partner AND (last_slot_at IS NULL OR last_slot_at < @slot)",
            new { partner, slot = slot.AsUtc() }, transaction);
        await transaction.CommitAsync();
        return claimed == 1;
    }
}
