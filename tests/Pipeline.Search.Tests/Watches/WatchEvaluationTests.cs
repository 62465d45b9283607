using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Contracts;
using Pipeline.Search.Tests.Behaviour;
using Pipeline.Search.Watches;
using Pipeline.Testing;

namespace Pipeline.Search.Tests.Watches;

/// <summary>
/// Watches evaluated by the service over a real Lucene index written as the indexer writes it: what matches, once;
/// the webhook POST a receiver on 127.0.0.1 gets; "new since last visit"; a restart in between.
/// </summary>
public sealed class WatchEvaluationTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static readonly (string Qid, string Label, string Type) UnitedStates = SearchCorpus.Entities[0];
    static readonly (string Qid, string Label, string Type) China = SearchCorpus.Entities[1];

    static CorpusArticle Vaccine(string id, params (string Qid, string Label, string Type)[] entities) =>
        SearchCorpus.Make(id, $"Vaccine report {id}", "A report about the vaccine rollout.", SearchCorpus.T0, entities, [(ClaimTypes.Accusation, 0.8, null)]);

    static IReadOnlyList<string> Ids(JsonElement page) =>
        [.. page.GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("articleId").GetString()!).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task A_watch_matches_once_only_the_articles_that_fit_its_search_and_become_searchable_after_it_and_posts_them()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var service = await WatchService.StartAsync();
        var before = Vaccine("before", UnitedStates);
        await service.WriteAsync([.. before.Messages()]);
        var watch = await service.CreateWatchAsync("US vaccines", "q=vaccine&entity=Q30&sort=newest&facet=entity", receiver.Url.ToString());
        var id = watch.GetProperty("id").GetString()!;
        Assert.Equal("q=vaccine&entity=Q30", watch.GetProperty("query").GetString());

        var fits = Vaccine("fits", UnitedStates);
        var otherEntity = Vaccine("other-entity", China);
        var otherText = SearchCorpus.Make("other-text", "Budget report", "A report about the budget.", SearchCorpus.T0, [UnitedStates], []);
        var enrichedLater = Vaccine("enriched-later", UnitedStates);
        await service.WriteAsync([.. fits.Messages(), .. otherEntity.Messages(), .. otherText.Messages(), .. enrichedLater.Messages().Take(2)]);
        await service.WatchUntilAsync(id, w => w.GetProperty("totalMatches").GetInt64() == 1, "the fitting article matched");
        await service.NextEvaluationAsync(id);

        // Its entities arrive later: only then does it fit the search, and it matches.
        await service.WriteAsync(enrichedLater.Messages().Last());
        await service.WatchUntilAsync(id, w => w.GetProperty("totalMatches").GetInt64() == 2, "the article whose entities came later matched");

        // Written again (a re-enrichment), an article already matched does not match again; nor does the one from before.
        await service.WriteAsync(fits.Messages().Last(), before.Messages().Last());
        var after = await service.NextEvaluationAsync(id);
        Assert.Equal(2, after.GetProperty("totalMatches").GetInt64());
        Assert.Equal(2, after.GetProperty("newSinceLastVisit").GetInt64());
        var matches = await service.GetAsync($"/watches/{id}/matches");
        Assert.Equal(["enriched-later", "fits"], Ids(matches));
        Assert.All(matches.GetProperty("matches").EnumerateArray(), m => Assert.True(m.GetProperty("new").GetBoolean()));

        // The receiver got each match once, in POSTs naming the watch, as JSON.
        await Eventually.HoldsAsync(_ => Task.FromResult(receiver.Delivered.Count), n => n == 2, TimeSpan.FromSeconds(30), "two webhook POSTs", Cancel);
        var posted = receiver.Delivered.SelectMany(d => d.Body.GetProperty("matches").EnumerateArray()).ToList();
        Assert.Equal(["enriched-later", "fits"], posted.Select(m => m.GetProperty("articleId").GetString()).Order(StringComparer.Ordinal));
        var first = receiver.Delivered[0];
        Assert.StartsWith("application/json", first.ContentType, StringComparison.Ordinal);
        Assert.Equal(id, first.Watch);
        Assert.Equal(id, first.Body.GetProperty("watch").GetProperty("id").GetString());
        Assert.Equal("US vaccines", first.Body.GetProperty("watch").GetProperty("name").GetString());
        Assert.True(first.Body.GetProperty("sentAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        var fitsPosted = posted.Single(m => m.GetProperty("articleId").GetString() == "fits");
        Assert.Equal(fits.Article.Title, fitsPosted.GetProperty("title").GetString());
        Assert.Equal(fits.Article.CanonicalUrl, fitsPosted.GetProperty("url").GetString());
        Assert.Equal(fits.Article.Source, fitsPosted.GetProperty("source").GetString());
        Assert.Equal(fits.Article.PublishedAt, fitsPosted.GetProperty("publishedAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.String, fitsPosted.GetProperty("indexedAt").ValueKind);
        var webhook = (await service.GetAsync($"/watches/{id}")).GetProperty("webhook");
        Assert.Equal("delivered", webhook.GetProperty("state").GetString());
        Assert.Equal(2, webhook.GetProperty("delivered").GetInt64());

        // Opening the watch: what it found is no longer new.
        var visited = await (await service.Client.PostAsync($"/watches/{id}/visit", null, Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(0, visited.GetProperty("newSinceLastVisit").GetInt64());
        Assert.Equal(2, visited.GetProperty("totalMatches").GetInt64());
        matches = await service.GetAsync($"/watches/{id}/matches");
        Assert.All(matches.GetProperty("matches").EnumerateArray(), m => Assert.False(m.GetProperty("new").GetBoolean()));
    }

    [Fact]
    public async Task A_changed_search_alerts_on_what_becomes_searchable_after_the_change()
    {
        await using var service = await WatchService.StartAsync();
        var watch = await service.CreateWatchAsync("Vaccines", "q=vaccine");
        var id = watch.GetProperty("id").GetString()!;
        await service.WriteAsync([.. Vaccine("first", China).Messages()]);
        await service.WatchUntilAsync(id, w => w.GetProperty("totalMatches").GetInt64() == 1, "the first article matched");
        var budget = SearchCorpus.Make("budget-before", "Budget report", "A report about the budget.", SearchCorpus.T0, [China], []);
        await service.WriteAsync([.. budget.Messages()]);

        var changed = await service.Client.PutAsJsonAsync($"/watches/{id}", new { name = "Budgets", query = "q=budget" }, Cancel);
        Assert.True(changed.IsSuccessStatusCode);
        await service.WriteAsync([.. SearchCorpus.Make("budget-after", "Budget news", "More about the budget.", SearchCorpus.T0, [China], []).Messages()]);
        await service.WatchUntilAsync(id, w => w.GetProperty("totalMatches").GetInt64() == 2, "the budget article after the change matched");
        await service.NextEvaluationAsync(id);

        Assert.Equal(["budget-after", "first"], Ids(await service.GetAsync($"/watches/{id}/matches")));
    }

    [Fact]
    public async Task A_watch_whose_search_no_longer_runs_shows_why_and_the_others_go_on()
    {
        await using var service = await WatchService.StartAsync();
        var working = (await service.CreateWatchAsync("Vaccines", "q=vaccine")).GetProperty("id").GetString()!;

        // As a watch saved before its search became invalid (the API refuses one that is invalid now).
        var database = (WatchDatabase)service.Services.GetService(typeof(WatchDatabase))!;
        var now = DateTimeOffset.UtcNow;
        var broken = WatchDatabase.NewId();
        database.Insert(new Watch(broken, "Broken", "q=%28vaccine", null, now, now, now, now, now, null, null));
        await service.WriteAsync([.. Vaccine("a", China).Messages()]);

        await service.WatchUntilAsync(working, w => w.GetProperty("totalMatches").GetInt64() == 1, "the working watch matched");
        var failed = await service.WatchUntilAsync(broken, w => w.GetProperty("lastError").ValueKind == JsonValueKind.String, "the broken watch's error");
        Assert.StartsWith("q: ", failed.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, failed.GetProperty("totalMatches").GetInt64());
    }

    [Fact]
    public async Task Matches_and_a_pending_delivery_survive_a_restart_and_are_delivered_after_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Failing = true;
        await using var service = await WatchService.StartAsync(new() { ["WebhookMaxAttempts"] = "100" });
        var id = (await service.CreateWatchAsync("Vaccines", "q=vaccine", receiver.Url.ToString())).GetProperty("id").GetString()!;
        await service.WriteAsync([.. Vaccine("during", UnitedStates).Messages()]);
        await service.WatchUntilAsync(
            id, w => w.GetProperty("totalMatches").GetInt64() == 1 && w.GetProperty("webhook").GetProperty("lastAttempts").GetInt32() >= 1, "a match whose delivery was attempted");

        await service.StopAsync();
        var pending = new WatchDatabase(service.IndexPath + ".watches.db").Deliveries(id).Single();
        Assert.Equal(DeliveryStates.Pending, pending.State);
        receiver.Failing = false;
        await service.WriteAsync([.. Vaccine("while-down", UnitedStates).Messages()]);
        await service.StartAgainAsync();

        var watch = await service.WatchUntilAsync(
            id, w => w.GetProperty("webhook").GetProperty("delivered").GetInt64() == 2, "both deliveries sent after the restart");
        Assert.Equal(2, watch.GetProperty("totalMatches").GetInt64());
        Assert.Equal(["during", "while-down"], Ids(await service.GetAsync($"/watches/{id}/matches")));
        Assert.Equal(
            ["during", "while-down"],
            receiver.Delivered.SelectMany(d => d.Body.GetProperty("matches").EnumerateArray()).Select(m => m.GetProperty("articleId").GetString()).Order(StringComparer.Ordinal));
    }
}
