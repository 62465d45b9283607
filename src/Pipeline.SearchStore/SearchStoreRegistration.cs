using Elastic.Clients.Elasticsearch;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.SearchStore.Elasticsearch;
using Pipeline.SearchStore.Lucene;

namespace Pipeline.SearchStore;

public static class SearchStoreRegistration
{
    static OptionsBuilder<SearchStoreOptions> AddSearchStoreOptions(IHostApplicationBuilder builder) =>
        builder.Services.AddOptions<SearchStoreOptions>()
            .BindConfiguration(SearchStoreOptions.SectionName)
            .ValidateDataAnnotations()
            .PostConfigure<IHostEnvironment>((options, environment) =>
            {
                // A relative path is relative to the service's content root, not to wherever it was started from.
                if (!string.IsNullOrWhiteSpace(options.LucenePath))
                {
                    options.LucenePath = Path.GetFullPath(options.LucenePath, environment.ContentRootPath);
                }
            })
            .ValidateOnStart();

    /// <summary>The write side (indexing service): Elasticsearch when <c>ConnectionStrings:elasticsearch</c> is set, else embedded Lucene.</summary>
    public static IHostApplicationBuilder AddArticleIndex(this IHostApplicationBuilder builder)
    {
        if (AddElasticsearch(builder))
        {
            builder.Services.AddSingleton<ElasticsearchArticleIndex>();
            builder.Services.AddSingleton<IArticleIndex>(sp => sp.GetRequiredService<ElasticsearchArticleIndex>());
            return builder;
        }

        AddSearchStoreOptions(builder);
        builder.Services.AddSingleton<LuceneArticleIndex>();
        builder.Services.AddSingleton<IArticleIndex>(sp => sp.GetRequiredService<LuceneArticleIndex>());
        return builder;
    }

    /// <summary>The read side (search service): Elasticsearch when <c>ConnectionStrings:elasticsearch</c> is set, else embedded Lucene.</summary>
    public static IHostApplicationBuilder AddArticleSearch(this IHostApplicationBuilder builder)
    {
        if (AddElasticsearch(builder))
        {
            builder.Services.AddSingleton<IArticleSearch, ElasticsearchArticleSearch>();
            return builder;
        }

        AddSearchStoreOptions(builder);
        builder.Services.AddSingleton<LuceneArticleSearch>();
        builder.Services.AddSingleton<IArticleSearch>(sp => sp.GetRequiredService<LuceneArticleSearch>());
        return builder;
    }

    static bool AddElasticsearch(IHostApplicationBuilder builder)
    {
        var url = builder.Configuration.GetConnectionString(ElasticsearchOptions.ConnectionName);
        if (string.IsNullOrWhiteSpace(url))
        {
            return false;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"ConnectionStrings:{ElasticsearchOptions.ConnectionName} must be an http(s) URL, got '{url}'.");
        }

        builder.Services.AddOptions<ElasticsearchOptions>()
            .BindConfiguration(ElasticsearchOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(new ElasticsearchClient(new ElasticsearchClientSettings(uri)));
        builder.Services.TryAddSingleton<ElasticsearchConnection>();
        return true;
    }
}
