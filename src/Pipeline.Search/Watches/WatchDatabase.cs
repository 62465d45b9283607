using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Pipeline.Search.Watches;

/// <summary>
/// The durable side of watches: one SQLite file (WAL journal, so the page's reads never wait for the evaluator's
/// writes) with the watches, their matches (an article matches a watch once: the pair is the key) and the webhook
/// outbox. An evaluation's matches, deliveries and checkpoint are written in one transaction, so a crash loses all of
/// an evaluation or none of it, and a delivery found after a restart is sent then.
/// </summary>
public sealed partial class WatchDatabase
{
    /// <summary>The schema this code reads and writes (SQLite's <c>user_version</c>).</summary>
    public const int SchemaVersion = 1;

    readonly string _connectionString;

    public WatchDatabase(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode = WAL;");
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException(
                $"The watch database {path} has schema version {version}, newer than this service's {SchemaVersion}: it was written by a newer version.");
        }

        if (version == 0)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, Schema, transaction);
            Execute(connection, $"PRAGMA user_version = {SchemaVersion};", transaction);
            transaction.Commit();
        }
    }

    public string Path { get; }

    const string Schema = """
        CREATE TABLE watches (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            query TEXT NOT NULL,
            webhook_url TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            since INTEGER NOT NULL,
            last_visited_at INTEGER NOT NULL,
            checkpoint INTEGER NOT NULL,
            last_evaluated_at INTEGER,
            last_error TEXT
        );
        CREATE TABLE matches (
            watch_id TEXT NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
            article_id TEXT NOT NULL,
            matched_at INTEGER NOT NULL,
            title TEXT NOT NULL,
            url TEXT,
            source TEXT,
            published_at INTEGER,
            indexed_at INTEGER,
            PRIMARY KEY (watch_id, article_id)
        );
        CREATE INDEX matches_newest ON matches (watch_id, matched_at DESC, article_id);
        CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            watch_id TEXT NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
            payload TEXT NOT NULL,
            match_count INTEGER NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            finished_at INTEGER,
            last_error TEXT
        );
        CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
        CREATE INDEX deliveries_of_watch ON deliveries (watch_id, id DESC);
        """;

    const string WatchColumns = "id, name, query, webhook_url, created_at, updated_at, since, last_visited_at, checkpoint, last_evaluated_at, last_error";
    const string DeliveryColumns = "id, watch_id, payload, match_count, state, attempts, created_at, next_attempt_at, finished_at, last_error";

    /// <summary>A new random watch id: 16 lower-case hex digits.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public long CountWatches()
    {
        using var connection = Open();
        return (long)Scalar(connection, "SELECT count(*) FROM watches;")!;
    }

    public void Insert(Watch watch)
    {
        using var connection = Open();
        using var command = Command(connection, $"INSERT INTO watches ({WatchColumns}) VALUES ($id, $name, $query, $webhook, $created, $updated, $since, $visited, $checkpoint, NULL, NULL);");
        command.Parameters.AddWithValue("$id", watch.Id);
        command.Parameters.AddWithValue("$name", watch.Name);
        command.Parameters.AddWithValue("$query", watch.Query);
        command.Parameters.AddWithValue("$webhook", (object?)watch.WebhookUrl ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", Ms(watch.CreatedAt));
        command.Parameters.AddWithValue("$updated", Ms(watch.UpdatedAt));
        command.Parameters.AddWithValue("$since", Ms(watch.Since));
        command.Parameters.AddWithValue("$visited", Ms(watch.LastVisitedAt));
        command.Parameters.AddWithValue("$checkpoint", Ms(watch.Checkpoint));
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Changes name, search and webhook. A changed search starts afresh from <paramref name="now"/> (it alerts on what
    /// becomes searchable after the change, as a new watch would); its earlier matches stay.
    /// </summary>
    public Watch? Update(string id, string name, string query, string? webhookUrl, DateTimeOffset now)
    {
        using var connection = Open();
        using var command = Command(connection, """
            UPDATE watches SET
                since = CASE WHEN query = $query THEN since ELSE $now END,
                checkpoint = CASE WHEN query = $query THEN checkpoint ELSE $now END,
                name = $name, query = $query, webhook_url = $webhook, updated_at = $now, last_error = NULL
            WHERE id = $id;
            """);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$query", query);
        command.Parameters.AddWithValue("$webhook", (object?)webhookUrl ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", Ms(now));
        return command.ExecuteNonQuery() == 0 ? null : Get(id);
    }

    /// <summary>Deletes the watch with its matches and deliveries.</summary>
    public bool Delete(string id)
    {
        using var connection = Open();
        using var command = Command(connection, "DELETE FROM watches WHERE id = $id;");
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteNonQuery() > 0;
    }

    /// <summary>The analyst opened the watch: what it found until now is no longer new.</summary>
    public bool Visit(string id, DateTimeOffset now)
    {
        using var connection = Open();
        using var command = Command(connection, "UPDATE watches SET last_visited_at = max(last_visited_at, $now) WHERE id = $id;");
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$now", Ms(now));
        return command.ExecuteNonQuery() > 0;
    }

    public Watch? Get(string id)
    {
        using var connection = Open();
        using var command = Command(connection, $"SELECT {WatchColumns} FROM watches WHERE id = $id;");
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadWatch(reader) : null;
    }

    public IReadOnlyList<Watch> All()
    {
        using var connection = Open();
        using var command = Command(connection, $"SELECT {WatchColumns} FROM watches ORDER BY created_at, id;");
        using var reader = command.ExecuteReader();
        var watches = new List<Watch>();
        while (reader.Read())
        {
            watches.Add(ReadWatch(reader));
        }

        return watches;
    }

    /// <summary>Every watch with its counts and latest delivery (or the one with <paramref name="id"/>), oldest first: one query.</summary>
    public IReadOnlyList<WatchSummary> Summaries(string? id = null)
    {
        using var connection = Open();
        using var command = Command(connection, $"""
            SELECT {Qualified("w", WatchColumns)},
                (SELECT count(*) FROM matches m WHERE m.watch_id = w.id),
                (SELECT count(*) FROM matches m WHERE m.watch_id = w.id AND m.matched_at > w.last_visited_at),
                (SELECT max(matched_at) FROM matches m WHERE m.watch_id = w.id),
                (SELECT count(*) FROM deliveries d WHERE d.watch_id = w.id AND d.state = 'pending'),
                (SELECT count(*) FROM deliveries d WHERE d.watch_id = w.id AND d.state = 'delivered'),
                (SELECT count(*) FROM deliveries d WHERE d.watch_id = w.id AND d.state = 'failed'),
                {Qualified("latest", DeliveryColumns)}
            FROM watches w
            LEFT JOIN deliveries latest ON latest.id = (SELECT max(id) FROM deliveries d WHERE d.watch_id = w.id)
            WHERE $id IS NULL OR w.id = $id
            ORDER BY w.created_at, w.id;
            """);
        command.Parameters.AddWithValue("$id", (object?)id ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var summaries = new List<WatchSummary>();
        while (reader.Read())
        {
            summaries.Add(new WatchSummary(ReadWatch(reader), reader.GetInt64(11), reader.GetInt64(12), NullableTime(reader, 13),
                new WebhookStatus(reader.GetInt64(14), reader.GetInt64(15), reader.GetInt64(16), reader.IsDBNull(17) ? null : ReadDelivery(reader, 17))));
        }

        return summaries;
    }

    /// <summary>The columns of a list such as <see cref="WatchColumns"/>, each prefixed with a table's alias.</summary>
    static string Qualified(string alias, string columns) => string.Join(", ", columns.Split(", ").Select(c => $"{alias}.{c}"));

    /// <summary>The watch's matches, newest first, and how many it has in all.</summary>
    public (IReadOnlyList<WatchMatch> Matches, long Total) Matches(string id, int offset, int limit)
    {
        using var connection = Open();
        using var count = Command(connection, "SELECT count(*) FROM matches WHERE watch_id = $id;");
        count.Parameters.AddWithValue("$id", id);
        var total = (long)count.ExecuteScalar()!;
        using var command = Command(connection, """
            SELECT article_id, matched_at, title, url, source, published_at, indexed_at FROM matches
            WHERE watch_id = $id ORDER BY matched_at DESC, article_id LIMIT $limit OFFSET $offset;
            """);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$limit", limit);
        command.Parameters.AddWithValue("$offset", offset);
        using var reader = command.ExecuteReader();
        var matches = new List<WatchMatch>();
        while (reader.Read())
        {
            matches.Add(new WatchMatch(reader.GetString(0), Time(reader.GetInt64(1)), reader.GetString(2), NullableString(reader, 3), NullableString(reader, 4),
                NullableTime(reader, 5), NullableTime(reader, 6)));
        }

        return (matches, total);
    }

    /// <summary>
    /// Records one evaluation of <paramref name="watch"/>, begun at <paramref name="started"/> (its new checkpoint), as
    /// one transaction: the matches not recorded before, stamped <paramref name="now"/> (after the search, so that a
    /// visit while it ran does not hide them), the deliveries <paramref name="deliveries"/> makes of them (none without
    /// a webhook), the checkpoint. Returns the new matches, or null (and writes nothing) when the watch was changed or
    /// deleted since it was read.
    /// </summary>
    public IReadOnlyList<WatchMatch>? RecordEvaluation(
        Watch watch, IEnumerable<WatchMatch> found, DateTimeOffset started, DateTimeOffset now, Func<IReadOnlyList<WatchMatch>, IEnumerable<(string Payload, int Count)>> deliveries)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using (var advance = Command(connection, """
            UPDATE watches SET checkpoint = max(checkpoint, $started), last_evaluated_at = $started, last_error = NULL
            WHERE id = $id AND updated_at = $updated;
            """, transaction))
        {
            advance.Parameters.AddWithValue("$id", watch.Id);
            advance.Parameters.AddWithValue("$updated", Ms(watch.UpdatedAt));
            advance.Parameters.AddWithValue("$started", Ms(started));
            if (advance.ExecuteNonQuery() == 0)
            {
                return null;
            }
        }

        var added = new List<WatchMatch>();
        using (var insert = Command(connection, """
            INSERT OR IGNORE INTO matches (watch_id, article_id, matched_at, title, url, source, published_at, indexed_at)
            VALUES ($watch, $article, $matched, $title, $url, $source, $published, $indexed);
            """, transaction))
        {
            var article = insert.Parameters.Add("$article", SqliteType.Text);
            var title = insert.Parameters.Add("$title", SqliteType.Text);
            var url = insert.Parameters.Add("$url", SqliteType.Text);
            var source = insert.Parameters.Add("$source", SqliteType.Text);
            var published = insert.Parameters.Add("$published", SqliteType.Integer);
            var indexed = insert.Parameters.Add("$indexed", SqliteType.Integer);
            insert.Parameters.AddWithValue("$watch", watch.Id);
            insert.Parameters.AddWithValue("$matched", Ms(now));
            foreach (var match in found)
            {
                article.Value = match.ArticleId;
                title.Value = match.Title;
                url.Value = (object?)match.Url ?? DBNull.Value;
                source.Value = (object?)match.Source ?? DBNull.Value;
                published.Value = match.PublishedAt is { } p ? Ms(p) : DBNull.Value;
                indexed.Value = match.IndexedAt is { } i ? Ms(i) : DBNull.Value;
                if (insert.ExecuteNonQuery() == 1)
                {
                    added.Add(match with { MatchedAt = now });
                }
            }
        }

        if (added.Count > 0 && watch.WebhookUrl is not null)
        {
            using var enqueue = Command(connection, """
                INSERT INTO deliveries (watch_id, payload, match_count, state, attempts, created_at, next_attempt_at)
                VALUES ($watch, $payload, $count, 'pending', 0, $now, $now);
                """, transaction);
            var payload = enqueue.Parameters.Add("$payload", SqliteType.Text);
            var count = enqueue.Parameters.Add("$count", SqliteType.Integer);
            enqueue.Parameters.AddWithValue("$watch", watch.Id);
            enqueue.Parameters.AddWithValue("$now", Ms(now));
            foreach (var delivery in deliveries(added))
            {
                payload.Value = delivery.Payload;
                count.Value = delivery.Count;
                enqueue.ExecuteNonQuery();
            }
        }

        transaction.Commit();
        return added;
    }

    /// <summary>
    /// A round begun at <paramref name="started"/> found that the store wrote nothing any watch could match: every
    /// watch not changed since it was read moves its checkpoint there, in one transaction (its error, if any, stays).
    /// </summary>
    public void RecordIdleRound(IEnumerable<Watch> watches, DateTimeOffset started)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var advance = Command(connection, """
            UPDATE watches SET checkpoint = max(checkpoint, $started), last_evaluated_at = $started
            WHERE id = $id AND updated_at = $updated;
            """, transaction);
        var id = advance.Parameters.Add("$id", SqliteType.Text);
        var updated = advance.Parameters.Add("$updated", SqliteType.Integer);
        advance.Parameters.AddWithValue("$started", Ms(started));
        foreach (var watch in watches)
        {
            id.Value = watch.Id;
            updated.Value = Ms(watch.UpdatedAt);
            advance.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>The evaluation failed (its search is no longer valid, say): kept for the API, the checkpoint stays.</summary>
    public void RecordEvaluationError(string id, string error, DateTimeOffset now)
    {
        using var connection = Open();
        using var command = Command(connection, "UPDATE watches SET last_error = $error, last_evaluated_at = $now WHERE id = $id;");
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$error", error);
        command.Parameters.AddWithValue("$now", Ms(now));
        command.ExecuteNonQuery();
    }

    SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();

        // In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives a crash of the service, and
        // a power loss may only undo the last commits whole (an evaluation is then simply done again).
        Execute(connection, "PRAGMA synchronous = NORMAL;");
        return connection;
    }

    static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = Command(connection, sql, transaction);
        command.ExecuteNonQuery();
    }

    static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        return command.ExecuteScalar();
    }

    static Watch ReadWatch(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), NullableString(r, 3), Time(r.GetInt64(4)), Time(r.GetInt64(5)), Time(r.GetInt64(6)),
        Time(r.GetInt64(7)), Time(r.GetInt64(8)), NullableTime(r, 9), NullableString(r, 10));

    static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    static DateTimeOffset? NullableTime(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : Time(r.GetInt64(i));

    static string? NullableString(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
