using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Enrichers.FactCheckMatching.Matching;
using Pipeline.Testing;

namespace Pipeline.Enrichers.FactCheckMatching.Tests;

public sealed class FactCheckMatchingTests(ITestOutputHelper output)
{
    static FactCheckEnricher Enricher(FactCheckCatalog catalog, double minScore = 0.5) =>
        new(catalog, Options.Create(new FactCheckMatchingOptions { MinScore = minScore }));

    [Fact]
    public void A_sentence_repeating_a_fact_checked_claim_matches_it_and_unrelated_text_matches_nothing()
    {
        var enricher = Enricher(SnopesCatalog.Load());

        var matched = enricher.Match(
            "Local news roundup. Shoppers were told that McDonald's restaurants are offering $1 any size fries between May 18 and 31. The council meets on Tuesday.");
        var unrelated = enricher.Match("The council meets on Tuesday to discuss the parking budget for the next two years.");

        var top = Assert.Single(matched.Matches, m => m.FactCheckId == "vclaim-sno-1-mcdonald39s-any-size-fries");
        Assert.Equal("matched", matched.Status);
        Assert.Contains("any size fries", top.Sentence, StringComparison.OrdinalIgnoreCase);
        Assert.InRange(top.Score, 0.5, 1.0);
        Assert.Equal("none", unrelated.Status);
        Assert.Empty(unrelated.Matches);
    }

    /// <summary>
    /// The CheckThat! 2022 task 2A dev queries (tweets with the Snopes claim each one repeats): how often the best match
    /// is the right fact-check, and how precise the matches above the default threshold are. Tweets are noisier than
    /// news sentences, so this is a floor, not a flattering number.
    /// </summary>
    [Fact]
    public void On_the_CheckThat_dev_tweets_the_best_match_is_usually_the_fact_checked_claim()
    {
        var catalog = SnopesCatalog.Load();
        var queries = File.ReadLines(RepositoryPaths.RequireSharedFile("factchecks/train/CT2022-Task2A-EN-Train-Dev_Queries.tsv"))
            .Select(l => l.Split('\t', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        var gold = File.ReadLines(RepositoryPaths.RequireSharedFile("factchecks/train/CT2022-Task2A-EN-Dev_QRELs.tsv"))
            .Select(l => l.Split('\t')).Where(p => p.Length == 4 && queries.ContainsKey(p[0])).ToList();

        int correctAt1 = 0, above = 0, correctAbove = 0;
        foreach (var pair in gold)
        {
            var best = catalog.Match(queries[pair[0]], 1, 0.0);
            if (best.Count == 0)
            {
                continue;
            }

            var right = best[0].Check.Id == pair[2];
            correctAt1 += right ? 1 : 0;
            if (best[0].Score >= new FactCheckMatchingOptions().MinScore)
            {
                above++;
                correctAbove += right ? 1 : 0;
            }
        }

        var accuracy = (double)correctAt1 / gold.Count;
        var precision = above == 0 ? 0 : (double)correctAbove / above;
        output.WriteLine($"dev tweets: {gold.Count}; top-1 right: {accuracy:P1}; above MinScore: {above} ({(double)above / gold.Count:P1}), of which right: {precision:P1}");
        Assert.True(gold.Count > 100, $"only {gold.Count} dev queries were read");
        Assert.True(accuracy >= 0.6, $"top-1 accuracy {accuracy:P1}");
        Assert.True(precision >= 0.85, $"precision above the threshold {precision:P1}");
    }

    [Fact]
    public async Task The_enricher_publishes_its_matches_with_its_field_declarations()
    {
        var catalog = SnopesCatalog.Load();
        await using var harness = await EnricherHarness.StartAsync(
            s => s.AddSingleton(catalog).AddSingleton(Options.Create(new FactCheckMatchingOptions())).AddSingleton<FactCheckEnricher>(),
            FactCheckMatchingRegistration.AddFactCheckMatchingConsumers);
        var article = EnricherHarness.Article("A viral video shows a 10-meter-long anaconda swimming across a river in Brazil, users claimed.");

        var enriched = await harness.EnrichAsync(article, TestContext.Current.CancellationToken);

        Assert.Equal("fact-checks", enriched.EnricherName);
        Assert.Equal(article.ContentHash, enriched.TextHash);
        var payload = enriched.Read<FactCheckMatches>();
        Assert.Equal("vclaim-sno-10-meter-anaconda", payload.Matches[0].FactCheckId);
        Assert.Equal(["claim", "id", "status"], enriched.Fields.Select(f => f.Name));
        Assert.Equal(EnrichmentFieldUses.Filterable | EnrichmentFieldUses.Facetable, enriched.Fields.Single(f => f.Name == "id").Uses);
    }

    [Fact]
    public async Task The_sdk_records_the_enrichment_lag_from_ingestion_per_enricher()
    {
        var catalog = SnopesCatalog.Load();
        var lags = new System.Collections.Concurrent.ConcurrentBag<(double Seconds, string? Enricher)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "pipeline.enrichment.lag")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "enricher")
                {
                    lags.Add((value, tag.Value as string));
                }
            }
        });
        listener.Start();
        await using var harness = await EnricherHarness.StartAsync(
            s => s.AddSingleton(catalog).AddSingleton(Options.Create(new FactCheckMatchingOptions())).AddSingleton<FactCheckEnricher>(),
            FactCheckMatchingRegistration.AddFactCheckMatchingConsumers);
        var article = EnricherHarness.Article("Nothing to see here today.", id: "lagged") with { IngestedAt = DateTimeOffset.UtcNow.AddSeconds(-30) };

        await harness.EnrichAsync(article, TestContext.Current.CancellationToken);

        Assert.Contains(lags, l => l.Enricher == "fact-checks" && l.Seconds is >= 30 and < 120);
    }

    [Fact]
    public void A_malformed_catalogue_line_stops_the_load_naming_the_line()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, ["""{"vclaim_id":"a","vclaim":"A claim.","title":"T"}""", "{not json"]);
            var error = Assert.Throws<InvalidDataException>(() => FactCheckCatalog.Load(path));
            Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
