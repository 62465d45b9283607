using System.Runtime.CompilerServices;
using System.Text.Json;
using Pipeline.SearchStore.Elasticsearch;

namespace Pipeline.SearchStore.StoredArticles;

/// <summary>Pages through every document's stored <c>doc</c> in id order with search_after (no scroll context to leak).</summary>
public sealed class ElasticsearchStoredArticles(ElasticsearchConnection connection) : IStoredArticleSource
{
    const int PageSize = 500;

    public async IAsyncEnumerable<ArticleDocument> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            var body = after is null
                ? JsonSerializer.Serialize(new { size = PageSize, sort = new[] { new { id = "asc" } }, _source = new[] { "doc" } })
                : JsonSerializer.Serialize(new { size = PageSize, sort = new[] { new { id = "asc" } }, _source = new[] { "doc" }, search_after = new[] { after } });
            var (status, json) = await connection.SendAsync(Elastic.Transport.HttpMethod.POST, $"/{connection.Index}/_search", body, cancellationToken);
            var page = new List<ArticleDocument>();
            using (json)
            {
                if (status == 404)
                {
                    yield break;
                }

                if (status != 200 || json is null)
                {
                    throw new ElasticsearchUnavailableException($"Reading the stored articles answered HTTP {status}: {json?.RootElement}");
                }

                foreach (var hit in json.RootElement.GetProperty("hits").GetProperty("hits").EnumerateArray())
                {
                    page.Add(ElasticsearchDocument.FromSource(hit.GetProperty("_source")));
                    after = hit.GetProperty("sort")[0].GetString();
                }
            }

            foreach (var document in page)
            {
                yield return document;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }
        }
    }
}
