using System.Text.Json;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Microsoft.Extensions.Options;

namespace Pipeline.SearchStore.Elasticsearch;

/// <summary>
/// The client and the index: sends REST requests through the Elastic client's transport and makes sure, once, that
/// the index template (explicit, strict mapping) and the index exist.
/// </summary>
public sealed class ElasticsearchConnection(ElasticsearchClient client, IOptions<ElasticsearchOptions> options)
{
    readonly SemaphoreSlim _setup = new(1, 1);
    bool _ready;

    public string Index => options.Value.IndexName;

    public ElasticsearchOptions Options => options.Value;

    /// <summary>A request; a failure of the cluster or the network (no answer, 5xx) throws <see cref="ElasticsearchUnavailableException"/>.</summary>
    public async Task<(int Status, JsonDocument? Body)> SendAsync(Elastic.Transport.HttpMethod method, string path, string? body, CancellationToken cancellationToken)
    {
        var response = body is null
            ? await client.Transport.RequestAsync<StringResponse>(method, path, cancellationToken)
            : await client.Transport.RequestAsync<StringResponse>(method, path, PostData.String(body), cancellationToken);
        var status = response.ApiCallDetails.HttpStatusCode ?? 0;
        if (status == 0 || status >= 500)
        {
            throw new ElasticsearchUnavailableException(
                $"Elasticsearch did not answer {method} {path}: {(status == 0 ? response.ApiCallDetails.OriginalException?.Message : $"HTTP {status}")}",
                response.ApiCallDetails.OriginalException);
        }

        return (status, string.IsNullOrEmpty(response.Body) ? null : JsonDocument.Parse(response.Body));
    }

    public async Task EnsureIndexAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _setup.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
            {
                return;
            }

            var template = Template().Replace("__INDEX__", Index, StringComparison.Ordinal);
            var (status, body) = await SendAsync(Elastic.Transport.HttpMethod.PUT, $"/_index_template/{Index}-template", template, cancellationToken);
            using (body)
            {
                if (status is not (200 or 201))
                {
                    throw new ElasticsearchUnavailableException($"Elasticsearch refused the index template (HTTP {status}): {body?.RootElement}");
                }
            }

            (status, body) = await SendAsync(Elastic.Transport.HttpMethod.PUT, $"/{Index}", null, cancellationToken);
            using (body)
            {
                var exists = status == 400 && body?.RootElement.GetProperty("error").GetProperty("type").GetString() == "resource_already_exists_exception";
                if (status is not (200 or 201) && !exists)
                {
                    throw new ElasticsearchUnavailableException($"Elasticsearch could not create index '{Index}' (HTTP {status}): {body?.RootElement}");
                }

                if (exists)
                {
                    await AddLaterFieldsAsync(cancellationToken);
                }
            }

            _ready = true;
        }
        finally
        {
            _setup.Release();
        }
    }

    /// <summary>
    /// An index created before a field joined the template has a strict mapping without it, and would refuse every
    /// document carrying it: the template's own field mappings are put to the index, so every field it has gained
    /// since (indexed, first_indexed, claim_entity, worthy_claims, ...) is added. Adding a field to a mapping is
    /// allowed, and repeating one changes nothing.
    /// </summary>
    async Task AddLaterFieldsAsync(CancellationToken cancellationToken)
    {
        var (status, body) = await SendAsync(Elastic.Transport.HttpMethod.PUT, $"/{Index}/_mapping", TemplateProperties(), cancellationToken);
        using (body)
        {
            if (status is not (200 or 201))
            {
                throw new ElasticsearchUnavailableException($"Elasticsearch refused to add the template's fields to index '{Index}' (HTTP {status}): {body?.RootElement}");
            }
        }
    }

    /// <summary>The template's <c>mappings.properties</c> as the body of a <c>PUT {index}/_mapping</c>: <c>{"properties":{...}}</c>.</summary>
    static string TemplateProperties()
    {
        var properties = JsonNode.Parse(Template())!["template"]!["mappings"]!["properties"]!.DeepClone();
        return new JsonObject { ["properties"] = properties }.ToJsonString();
    }

    static string Template()
    {
        using var stream = typeof(ElasticsearchConnection).Assembly.GetManifestResourceStream("Pipeline.SearchStore.Elasticsearch.index-template.json")
            ?? throw new InvalidOperationException("The index template resource is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
