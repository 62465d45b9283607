using System.Text;
using System.Text.Json;
using Pipeline.Contracts;

namespace Pipeline.SearchStore.Elasticsearch;

/// <summary>
/// The Elasticsearch write side. One call: read the current documents of the touched articles (_mget, with their
/// sequence numbers), merge with the same rules as everywhere, and bulk-write them with optimistic concurrency
/// (create for new documents, if_seq_no/if_primary_term for existing ones), in requests bounded by documents and
/// bytes, a bounded number at a time. Per item: 2xx done; 409 (another writer got there first) re-read and re-merge;
/// 429/503 retried with jittered exponential back-off; any other 4xx refused with the cluster's reason. A cluster that
/// does not answer, answers 5xx, or stays overloaded throws, and the caller's batch is retried as a whole.
/// A bulk item that succeeded is durable: the index uses translog durability "request".
/// </summary>
public sealed class ElasticsearchArticleIndex(ElasticsearchConnection connection, TimeProvider clock) : IArticleIndex
{
    sealed record Current(ArticleDocument? Document, long? SeqNo, long? PrimaryTerm);

    sealed record Pending(string Id, List<IArticleMessage> Messages)
    {
        public Current? Base { get; set; }

        public string? Json { get; set; }
    }

    /// <summary>A bulk item that succeeded is durable already, so a write is durable when it returns.</summary>
    public async Task<IndexWrite> BeginWriteAsync(IReadOnlyList<IArticleMessage> messages, CancellationToken cancellationToken) =>
        IndexWrite.Completed(await WriteAsync(messages, cancellationToken));

    async Task<IReadOnlyList<IndexRejection>> WriteAsync(IReadOnlyList<IArticleMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return [];
        }

        await connection.EnsureIndexAsync(cancellationToken);
        await ElasticsearchEnrichmentFields.EnsureMappedAsync(connection, messages, cancellationToken);
        var rejections = new List<IndexRejection>();
        var pending = new List<Pending>();
        // A message deserialised with a null id (the contract says it has one; JSON may not) is grouped as "" and refused.
        foreach (var group in messages.GroupBy(m => m.ArticleId ?? "", StringComparer.Ordinal))
        {
            if (string.IsNullOrWhiteSpace(group.Key))
            {
                rejections.AddRange(group.Select(m => new IndexRejection(m, group.Key, "The article id is empty.")));
            }
            else
            {
                pending.Add(new Pending(group.Key, [.. group]));
            }
        }

        for (var round = 1; pending.Count > 0; round++)
        {
            if (round > connection.Options.ConflictRetryLimit)
            {
                throw new ElasticsearchUnavailableException($"{pending.Count} documents kept changing under concurrent writers.");
            }

            var current = await ReadAsync([.. pending.Select(p => p.Id)], cancellationToken);
            var indexedAt = clock.GetUtcNow();
            foreach (var item in pending)
            {
                item.Base = current[item.Id];
                try
                {
                    item.Json = ElasticsearchDocument.ToJson(DocumentMerge.Apply(item.Base.Document, item.Id, item.Messages).Stamped(item.Base.Document, indexedAt));
                }
                catch (Exception e) when (e is InvalidDataException or JsonException or ArgumentException)
                {
                    item.Json = null;
                    rejections.AddRange(item.Messages.Select(m => new IndexRejection(m, item.Id, e.Message)));
                }
            }

            pending = await BulkWriteAsync([.. pending.Where(p => p.Json is not null)], rejections, cancellationToken);
        }

        return rejections;
    }

    async Task<Dictionary<string, Current>> ReadAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, Current>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(1_000))
        {
            var body = JsonSerializer.Serialize(new { ids = chunk });
            var (status, json) = await connection.SendAsync(Elastic.Transport.HttpMethod.POST, $"/{connection.Index}/_mget?_source_includes={ElasticsearchDocument.SourceFields}", body, cancellationToken);
            using (json)
            {
                if (status != 200 || json is null)
                {
                    throw new ElasticsearchUnavailableException($"_mget answered HTTP {status}: {json?.RootElement}");
                }

                foreach (var doc in json.RootElement.GetProperty("docs").EnumerateArray())
                {
                    var id = doc.GetProperty("_id").GetString()!;
                    result[id] = doc.TryGetProperty("found", out var found) && found.GetBoolean()
                        ? new Current(ElasticsearchDocument.FromSource(doc.GetProperty("_source")), doc.GetProperty("_seq_no").GetInt64(), doc.GetProperty("_primary_term").GetInt64())
                        : new Current(null, null, null);
                }
            }
        }

        return result;
    }

    /// <summary>Writes the documents; returns those that hit a concurrent change (409) and must be re-merged.</summary>
    async Task<List<Pending>> BulkWriteAsync(List<Pending> documents, List<IndexRejection> rejections, CancellationToken cancellationToken)
    {
        var conflicts = new List<Pending>();
        var options = connection.Options;
        var toWrite = documents;
        for (var attempt = 0; toWrite.Count > 0; attempt++)
        {
            if (attempt > options.ItemRetryLimit)
            {
                throw new ElasticsearchUnavailableException($"Elasticsearch stayed overloaded (429/503) for {toWrite.Count} documents.");
            }

            if (attempt > 0)
            {
                await Task.Delay(Backoff(attempt), clock, cancellationToken);
            }

            var retry = new List<Pending>();
            using var gate = new SemaphoreSlim(options.BulkConcurrency);
            await Task.WhenAll(Requests(toWrite).Select(async request =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    var outcome = await SendBulkAsync(request, cancellationToken);
                    lock (retry)
                    {
                        retry.AddRange(outcome.Retry);
                        conflicts.AddRange(outcome.Conflicts);
                        rejections.AddRange(outcome.Rejected);
                    }
                }
                finally
                {
                    gate.Release();
                }
            }));
            toWrite = retry;
        }

        return conflicts;
    }

    /// <summary>Splits the documents into bulk requests of at most BulkMaxDocuments documents and BulkMaxBytes bytes.</summary>
    IEnumerable<List<Pending>> Requests(List<Pending> documents)
    {
        var request = new List<Pending>();
        long bytes = 0;
        foreach (var document in documents)
        {
            var size = Encoding.UTF8.GetByteCount(document.Json!) + 200;
            if (request.Count > 0 && (request.Count >= connection.Options.BulkMaxDocuments || bytes + size > connection.Options.BulkMaxBytes))
            {
                yield return request;
                request = [];
                bytes = 0;
            }

            request.Add(document);
            bytes += size;
        }

        if (request.Count > 0)
        {
            yield return request;
        }
    }

    sealed record BulkOutcome(List<Pending> Retry, List<Pending> Conflicts, List<IndexRejection> Rejected);

    async Task<BulkOutcome> SendBulkAsync(List<Pending> request, CancellationToken cancellationToken)
    {
        var body = new StringBuilder();
        foreach (var document in request)
        {
            var action = document.Base?.SeqNo is { } seqNo
                ? JsonSerializer.Serialize(new { index = new { _index = connection.Index, _id = document.Id, if_seq_no = seqNo, if_primary_term = document.Base.PrimaryTerm } })
                : JsonSerializer.Serialize(new { create = new { _index = connection.Index, _id = document.Id } });
            body.Append(action).Append('\n').Append(document.Json).Append('\n');
        }

        var (status, json) = await connection.SendAsync(Elastic.Transport.HttpMethod.POST, "/_bulk", body.ToString(), cancellationToken);
        using (json)
        {
            if (status == 429)
            {
                return new BulkOutcome(request, [], []);
            }

            if (status != 200 || json is null || !json.RootElement.TryGetProperty("items", out var items))
            {
                throw new ElasticsearchUnavailableException($"_bulk answered HTTP {status}: {json?.RootElement}");
            }

            return Classify(request, items);
        }
    }

    static BulkOutcome Classify(List<Pending> request, JsonElement items)
    {
        var outcome = new BulkOutcome([], [], []);
        var i = 0;
        foreach (var item in items.EnumerateArray())
        {
            var result = item.EnumerateObject().First().Value;
            var document = request[i++];
            var status = result.GetProperty("status").GetInt32();
            switch (status)
            {
                case >= 200 and < 300:
                    break;
                case 409:
                    outcome.Conflicts.Add(document);
                    break;
                case 429 or 503:
                    outcome.Retry.Add(document);
                    break;
                case >= 400 and < 500:
                    var error = result.TryGetProperty("error", out var e) ? $"{e.GetProperty("type").GetString()}: {e.GetProperty("reason").GetString()}" : $"HTTP {status}";
                    outcome.Rejected.AddRange(document.Messages.Select(m => new IndexRejection(m, document.Id, $"Elasticsearch refused the document: {error}")));
                    break;
                default:
                    throw new ElasticsearchUnavailableException($"Elasticsearch failed to write document {document.Id}: HTTP {status}");
            }
        }

        return outcome;
    }

    TimeSpan Backoff(int attempt)
    {
        var options = connection.Options;
        var exponential = options.ItemRetryMinInterval.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exponential, options.ItemRetryMaxInterval.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
    }

}
