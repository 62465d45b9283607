using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pipeline.SearchStore;
using Pipeline.SearchStore.Elasticsearch;

namespace Pipeline.Search.Watches;

public static class WatchRegistration
{
    /// <summary>The watch database, the evaluator and the webhook sender, with <see cref="WatchOptions"/> checked at start.</summary>
    public static IHostApplicationBuilder AddWatches(this IHostApplicationBuilder builder)
    {
        var elasticsearch = !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ElasticsearchOptions.ConnectionName));
        var lucenePath = builder.Configuration[$"{SearchStoreOptions.SectionName}:{nameof(SearchStoreOptions.LucenePath)}"];
        builder.Services.AddOptions<WatchOptions>()
            .BindConfiguration(WatchOptions.SectionName)
            .ValidateDataAnnotations()
            .PostConfigure<IHostEnvironment>((options, environment) =>
            {
                // Beside the Lucene index, never in it (the indexer owns that directory and may replace its files), and
                // named after it, so two indexes in one folder (tests, benchmarks) never share a watch database.
                if (string.IsNullOrWhiteSpace(options.DatabasePath) && !elasticsearch && !string.IsNullOrWhiteSpace(lucenePath))
                {
                    var index = Path.TrimEndingDirectorySeparator(Path.GetFullPath(lucenePath, environment.ContentRootPath));
                    options.DatabasePath = index + ".watches.db";
                }

                if (!string.IsNullOrWhiteSpace(options.DatabasePath))
                {
                    options.DatabasePath = Path.GetFullPath(options.DatabasePath, environment.ContentRootPath);
                }
            })
            .Validate(
                options => !string.IsNullOrWhiteSpace(options.DatabasePath),
                $"{WatchOptions.SectionName}:{nameof(WatchOptions.DatabasePath)} is required with Elasticsearch (ConnectionStrings:{ElasticsearchOptions.ConnectionName}): " +
                "the file where watches, their matches and webhook deliveries are kept.")
            .Validate<IHostEnvironment>(
                (options, environment) => string.IsNullOrWhiteSpace(options.DatabasePath) || lucenePath is null || !IsInside(options.DatabasePath!, Path.GetFullPath(lucenePath, environment.ContentRootPath)),
                $"{WatchOptions.SectionName}:{nameof(WatchOptions.DatabasePath)} must not be inside {SearchStoreOptions.SectionName}:{nameof(SearchStoreOptions.LucenePath)}: the indexer owns that directory.")
            .Validate(
                options => options.WebhookRetryMaxDelay >= options.WebhookRetryBaseDelay,
                $"{WatchOptions.SectionName}:{nameof(WatchOptions.WebhookRetryMaxDelay)} must be at least {nameof(WatchOptions.WebhookRetryBaseDelay)}.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new WatchDatabase(sp.GetRequiredService<IOptions<WatchOptions>>().Value.DatabasePath!));
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        builder.Services.AddSingleton<WatchEvaluator>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WatchEvaluator>());
        return builder;
    }

    static bool IsInside(string path, string directory)
    {
        var relative = Path.GetRelativePath(directory, path);
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }
}
