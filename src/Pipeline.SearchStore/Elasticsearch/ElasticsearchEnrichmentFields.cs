using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Pipeline.Contracts;

namespace Pipeline.SearchStore.Elasticsearch;

/// <summary>
/// Enricher-declared fields in Elasticsearch. The template maps <c>enrichment</c> as an object with <c>dynamic: false</c>,
/// so values are kept in the source but not indexed until their field is mapped; before a write, every declared field
/// not yet mapped gets an explicit mapping (<c>PUT {index}/_mapping</c>): searchable as English text (with a
/// <c>keyword</c> sub-field when it is also filterable or facetable), filterable/facetable as <c>keyword</c>. A mapping
/// the cluster refuses (the field was declared differently before) is logged by the caller's outage handling, never
/// refuses documents: the field then stays unindexed, as dynamic: false intends.
/// </summary>
public static class ElasticsearchEnrichmentFields
{
    static readonly ConcurrentDictionary<string, bool> Mapped = new(StringComparer.Ordinal);

    /// <summary>The <c>enrichment</c> object of the Elasticsearch document: enricher → field → values.</summary>
    public static JsonObject ToJson(ArticleDocument document)
    {
        var root = new JsonObject();
        foreach (var values in EnrichmentFieldValues.Of(document))
        {
            if (root[values.Enricher] is not JsonObject enricher)
            {
                enricher = new JsonObject();
                root[values.Enricher] = enricher;
            }

            enricher[values.Field.Name] = new JsonArray([.. values.Items.Select(v => (JsonNode)v)]);
        }

        return root;
    }

    /// <summary>The <c>meta</c> key whose value lists the declared uses (<see cref="UsesMeta"/>), for the search side.</summary>
    public const string UsesMetaKey = "uses";

    /// <summary>The declared uses as the mapping's meta keeps them: "searchable,filterable,facetable" or a part of it.</summary>
    public static string UsesMeta(EnrichmentFieldUses uses) =>
        string.Join(',', new[] { (EnrichmentFieldUses.Searchable, "searchable"), (EnrichmentFieldUses.Filterable, "filterable"), (EnrichmentFieldUses.Facetable, "facetable") }
            .Where(u => uses.HasFlag(u.Item1)).Select(u => u.Item2));

    /// <summary>The mapping of one declared field, as the <c>_mapping</c> body puts it, its declared uses in <c>meta</c>.</summary>
    public static JsonObject MappingOf(EnrichmentField field)
    {
        var exact = field.Uses.HasFlag(EnrichmentFieldUses.Filterable) || field.Uses.HasFlag(EnrichmentFieldUses.Facetable);
        var meta = new JsonObject { [UsesMetaKey] = UsesMeta(field.Uses) };
        if (!field.Uses.HasFlag(EnrichmentFieldUses.Searchable))
        {
            return new JsonObject { ["type"] = "keyword", ["ignore_above"] = 8191, ["meta"] = meta };
        }

        var text = new JsonObject { ["type"] = "text", ["analyzer"] = "english", ["meta"] = meta };
        if (exact)
        {
            text["fields"] = new JsonObject { ["keyword"] = new JsonObject { ["type"] = "keyword", ["ignore_above"] = 8191 } };
        }

        return text;
    }

    /// <summary>Puts the mappings of the declared fields in these messages that this process has not mapped yet.</summary>
    public static async Task EnsureMappedAsync(ElasticsearchConnection connection, IEnumerable<IArticleMessage> messages, CancellationToken cancellationToken)
    {
        // An index created from an older template (strict, without 'enrichment') gets the object added once.
        if (!Mapped.ContainsKey(connection.Index))
        {
            var (status, json) = await connection.SendAsync(
                Elastic.Transport.HttpMethod.PUT, $"/{connection.Index}/_mapping", """{"properties":{"enrichment":{"type":"object","dynamic":false}}}""", cancellationToken);
            json?.Dispose();
            Mapped[connection.Index] = status is 200 or 201;
        }

        var wanted = messages.OfType<ArticleEnriched>()
            .SelectMany(m => (m.Fields ?? []).Select(f => (Enricher: m.EnricherName, Field: f)))
            .Where(x => !Mapped.ContainsKey(Key(connection, x.Enricher, x.Field)))
            .DistinctBy(x => Key(connection, x.Enricher, x.Field))
            .ToList();
        foreach (var group in wanted.GroupBy(x => x.Enricher, StringComparer.Ordinal))
        {
            var properties = new JsonObject();
            foreach (var (_, field) in group)
            {
                properties[field.Name] = MappingOf(field);
            }

            var body = new JsonObject
            {
                ["properties"] = new JsonObject
                {
                    ["enrichment"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["dynamic"] = false,
                        ["properties"] = new JsonObject { [group.Key] = new JsonObject { ["properties"] = properties } },
                    },
                },
            };
            var (status, json) = await connection.SendAsync(Elastic.Transport.HttpMethod.PUT, $"/{connection.Index}/_mapping", body.ToJsonString(), cancellationToken);
            using (json)
            {
                // 400 is a conflicting earlier declaration: the field stays as it was mapped; do not ask again.
                foreach (var (enricher, field) in group)
                {
                    Mapped[Key(connection, enricher, field)] = status is 200 or 201;
                }
            }
        }
    }

    static string Key(ElasticsearchConnection connection, string enricher, EnrichmentField field) =>
        $"{connection.Index}\u0001{enricher}\u0001{field.Name}\u0001{(int)field.Uses}";
}
