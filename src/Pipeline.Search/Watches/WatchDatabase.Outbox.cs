using Microsoft.Data.Sqlite;

namespace Pipeline.Search.Watches;

/// <summary>The webhook outbox of the watch database: claiming due deliveries, recording attempts, reading them back.</summary>
public sealed partial class WatchDatabase
{
    /// <summary>
    /// Claims pending deliveries due by <paramref name="now"/>, oldest first, with their watch's current webhook URL:
    /// each claimed one is not due again before <paramref name="leaseUntil"/>, so that several search replicas sharing
    /// the database do not send the same delivery at once (an attempt's outcome then sets its next time).
    /// </summary>
    public IReadOnlyList<(WebhookDelivery Delivery, string? Url, string WatchName)> ClaimDueDeliveries(DateTimeOffset now, DateTimeOffset leaseUntil, int limit)
    {
        var claimed = new List<(WebhookDelivery, string?, string)>();
        using var connection = Open();
        using var claim = Command(connection, "UPDATE deliveries SET next_attempt_at = $lease WHERE id = $id AND state = 'pending' AND next_attempt_at = $seen;");
        var id = claim.Parameters.Add("$id", SqliteType.Integer);
        var seen = claim.Parameters.Add("$seen", SqliteType.Integer);
        claim.Parameters.AddWithValue("$lease", Ms(leaseUntil));
        foreach (var due in DueDeliveries(connection, now, limit))
        {
            id.Value = due.Delivery.Id;
            seen.Value = Ms(due.Delivery.NextAttemptAt);
            if (claim.ExecuteNonQuery() == 1)
            {
                claimed.Add(due);
            }
        }

        return claimed;
    }

    static List<(WebhookDelivery Delivery, string? Url, string WatchName)> DueDeliveries(SqliteConnection connection, DateTimeOffset now, int limit)
    {
        using var command = Command(connection, $"""
            SELECT {Qualified("d", DeliveryColumns)}, w.webhook_url, w.name
            FROM deliveries d JOIN watches w ON w.id = d.watch_id
            WHERE d.state = 'pending' AND d.next_attempt_at <= $now
            ORDER BY d.next_attempt_at, d.id LIMIT $limit;
            """);
        command.Parameters.AddWithValue("$now", Ms(now));
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var due = new List<(WebhookDelivery, string?, string)>();
        while (reader.Read())
        {
            due.Add((ReadDelivery(reader), NullableString(reader, 10), reader.GetString(11)));
        }

        return due;
    }

    /// <summary>When the next pending delivery is due, if any is pending.</summary>
    public DateTimeOffset? NextDeliveryAt()
    {
        using var connection = Open();
        var next = Scalar(connection, "SELECT min(next_attempt_at) FROM deliveries WHERE state = 'pending';");
        return next is long ms ? Time(ms) : null;
    }

    /// <summary>An attempt ended: delivered, to be retried at <paramref name="retryAt"/>, or (null) given up.</summary>
    public void RecordAttempt(long deliveryId, bool delivered, DateTimeOffset now, DateTimeOffset? retryAt, string? error)
    {
        using var connection = Open();
        using var command = Command(connection, """
            UPDATE deliveries SET attempts = attempts + 1, state = $state, next_attempt_at = coalesce($retry, next_attempt_at),
                finished_at = CASE WHEN $state = 'pending' THEN NULL ELSE $now END, last_error = $error
            WHERE id = $id AND state = 'pending';
            """);
        command.Parameters.AddWithValue("$id", deliveryId);
        command.Parameters.AddWithValue("$state", delivered ? DeliveryStates.Delivered : retryAt is null ? DeliveryStates.Failed : DeliveryStates.Pending);
        command.Parameters.AddWithValue("$retry", retryAt is { } r ? Ms(r) : DBNull.Value);
        command.Parameters.AddWithValue("$now", Ms(now));
        command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    public IReadOnlyList<WebhookDelivery> Deliveries(string watchId)
    {
        using var connection = Open();
        using var command = Command(connection, $"SELECT {DeliveryColumns} FROM deliveries WHERE watch_id = $id ORDER BY id;");
        command.Parameters.AddWithValue("$id", watchId);
        using var reader = command.ExecuteReader();
        var deliveries = new List<WebhookDelivery>();
        while (reader.Read())
        {
            deliveries.Add(ReadDelivery(reader));
        }

        return deliveries;
    }

    /// <summary>A delivery read from the <see cref="DeliveryColumns"/> starting at column <paramref name="at"/>.</summary>
    static WebhookDelivery ReadDelivery(SqliteDataReader r, int at = 0) => new(
        r.GetInt64(at), r.GetString(at + 1), r.GetString(at + 2), r.GetInt32(at + 3), r.GetString(at + 4), r.GetInt32(at + 5), Time(r.GetInt64(at + 6)), Time(r.GetInt64(at + 7)),
        NullableTime(r, at + 8), NullableString(r, at + 9));
}
