using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Pipeline.ClaimTagging.Llm;
using Pipeline.ClaimTagging.Offline;
using Pipeline.ClaimTagging.Tagging;
using Pipeline.Contracts;
using Pipeline.Testing;

namespace Pipeline.ClaimTagging.Tests;

public sealed class ClaimTaggingServiceTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static IHost Build(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.Services.AddClaimTaggers();
        return builder.Build();
    }

    [Fact]
    public async Task Consumer_publishes_one_claims_enrichment_for_the_analysed_text()
    {
        await using var enricher = await EnricherHarness.StartAsync(s => s.AddClaimTaggers(), ClaimTaggingRegistration.AddClaimTaggingConsumers);
        var article = EnricherHarness.Article(OfflineTaggerFixture.SampleText());

        var enrichment = await enricher.EnrichAsync(article, Cancel);

        Assert.Equal("claims", enrichment.EnricherName);
        Assert.StartsWith("offline-", enrichment.EnricherVersion, StringComparison.Ordinal);
        Assert.Equal(article.ContentHash, enrichment.TextHash);
        Assert.Contains(enrichment.Read<ClaimsPayload>().Claims, c => c.Text.Contains("Xi Jinping assured", StringComparison.Ordinal));
        Assert.True(await enricher.Harness.Consumed.Any<ArticleIngested>(x => x.Context.ReceiveContext.InputAddress.AbsolutePath.EndsWith("claims-enricher", StringComparison.Ordinal), Cancel));
    }

    [Fact]
    public void Without_an_llm_connection_string_the_offline_tagger_runs()
    {
        using var host = Build();

        Assert.IsType<OfflineClaimTagger>(host.Services.GetRequiredService<IClaimTagger>());
    }

    [Fact]
    public void With_an_llm_connection_string_the_llm_tagger_runs_in_front_of_the_offline_one()
    {
        using var host = Build(("ConnectionStrings:llm", "Endpoint=http://127.0.0.1:9/v1;Model=llama3.1"));

        var tagger = Assert.IsType<LlmClaimTagger>(host.Services.GetRequiredService<IClaimTagger>());
        Assert.StartsWith("llm-llama3.1-", tagger.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void Tagger_offline_wins_over_a_configured_llm()
    {
        using var host = Build(("ConnectionStrings:llm", "Endpoint=http://127.0.0.1:9/v1;Model=llama3.1"), ("ClaimTagging:Tagger", "offline"));

        Assert.IsType<OfflineClaimTagger>(host.Services.GetRequiredService<IClaimTagger>());
    }

    [Theory]
    [InlineData("ClaimTagging:Tagger", "llm", "ConnectionStrings:llm is not set")]
    [InlineData("ClaimTagging:Tagger", "gpt", "ClaimTagging:Tagger must be auto, offline or llm")]
    [InlineData("ClaimTagging:LlmMaxAttempts", "0", "ClaimTagging:LlmMaxAttempts")]
    [InlineData("ConnectionStrings:llm", "Endpoint=http://localhost:11434/v1", "ConnectionStrings:llm: Model is required")]
    public void A_bad_configuration_fails_at_start_naming_the_key(string key, string value, string message)
    {
        using var host = Build((key, value));

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<ClaimTaggingOptions>>().Value);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_llm_ends_in_the_offline_claims_flagged_as_a_fallback()
    {
        using var host = Build(("ConnectionStrings:llm", "Endpoint=http://127.0.0.1:9/v1;Model=llama3.1"), ("ClaimTagging:LlmRetryDelay", "00:00:00.010"), ("ClaimTagging:LlmMaxAttempts", "2"));
        var tagger = host.Services.GetRequiredService<IClaimTagger>();

        var payload = await tagger.TagAsync("Unemployment fell to 3.5 percent last year, the lowest rate in fifty years.", Cancel);

        Assert.True(payload.IsFallback);
        Assert.StartsWith("offline:", payload.Tagger, StringComparison.Ordinal);
        Assert.NotEmpty(payload.Claims);
    }
}

public sealed class ClaimTaggingPluginTests(OfflineTaggerFixture fixture) : IClassFixture<OfflineTaggerFixture>
{
    [Fact]
    public async Task Kernel_function_returns_the_claims_payload_as_json()
    {
        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(new ClaimTaggingPlugin(fixture.Owned.Tagger), "claims");

        var result = await kernel.InvokeAsync("claims", "tag_claims", new() { ["text"] = "Unemployment fell to 3.5 percent last year, the lowest rate in fifty years." }, TestContext.Current.CancellationToken);

        var payload = System.Text.Json.JsonSerializer.Deserialize<ClaimsPayload>(result.GetValue<string>()!, EnrichmentPayloads.SerializerOptions)!;
        Assert.Single(payload.Claims);
    }
}
