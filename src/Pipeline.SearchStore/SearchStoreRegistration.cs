using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
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

    /// <summary>The write side (indexing service): the embedded Lucene store.</summary>
    public static IHostApplicationBuilder AddArticleIndex(this IHostApplicationBuilder builder)
    {
        AddSearchStoreOptions(builder);
        builder.Services.AddSingleton<LuceneArticleIndex>();
        builder.Services.AddSingleton<IArticleIndex>(sp => sp.GetRequiredService<LuceneArticleIndex>());
        return builder;
    }

    /// <summary>The read side (search service): the embedded Lucene store.</summary>
    public static IHostApplicationBuilder AddArticleSearch(this IHostApplicationBuilder builder)
    {
        AddSearchStoreOptions(builder);
        builder.Services.AddSingleton<LuceneArticleSearch>();
        builder.Services.AddSingleton<IArticleSearch>(sp => sp.GetRequiredService<LuceneArticleSearch>());
        return builder;
    }
}
