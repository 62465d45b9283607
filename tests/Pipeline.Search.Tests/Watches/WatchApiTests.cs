using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Search.Watches;
using Pipeline.Testing;

namespace Pipeline.Search.Tests.Watches;

/// <summary>The /watches API: validation naming the field at fault, 404s, limits, the API keys, the canonical search.</summary>
public sealed class WatchApiTests
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static async Task<string?> RefusedFieldAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        return problem.GetProperty("errors").EnumerateObject().Single().Name;
    }

    [Theory]
    [InlineData("?sort=newest&q=vaccine&entity=Q30&facet=entity&worthiness>=0.5&size=5", "q=vaccine&entity=Q30&worthiness=0.5")]
    [InlineData("entity=Q30,Q148&q=trade+war&outlet=a.example&outlet=b.example", "q=trade%20war&entity=Q30%2CQ148&outlet=a.example&outlet=b.example")]
    [InlineData("enrichment.fact-checks.status=matched&q=", "enrichment.fact-checks.status=matched")]
    [InlineData("", "")]
    [InlineData("claim_entity=Q30&q=vaccine&entity=Q148", "q=vaccine&entity=Q148&claim_entity=Q30")]
    public void The_saved_search_is_the_canonical_query_string_of_what_chooses_articles(string given, string canonical) =>
        Assert.Equal(canonical, WatchQuery.Canonical(given));

    [Fact]
    public async Task Invalid_input_is_a_400_naming_the_field_and_an_unknown_watch_a_404()
    {
        await using var service = await WatchService.StartAsync(new() { ["MaxWatches"] = "1" });
        var client = service.Client;
        async Task<string?> CreateAsync(object body) => await RefusedFieldAsync(await client.PostAsJsonAsync("/watches", body, Cancel));

        Assert.Equal("name", await CreateAsync(new { name = "", query = "q=vaccine" }));
        Assert.Equal("name", await CreateAsync(new { name = new string('n', WatchEndpoints.MaxNameLength + 1), query = "q=vaccine" }));
        Assert.Equal("query", await CreateAsync(new { name = "A" }));
        Assert.Equal("query", await CreateAsync(new { name = "A", query = "q=" + new string('v', WatchQuery.MaxLength) }));
        Assert.Equal("query.worthiness", await CreateAsync(new { name = "A", query = "q=vaccine&worthiness=2" }));
        Assert.Equal("query.entity", await CreateAsync(new { name = "A", query = "entity=Biden" }));
        Assert.Equal("query.q", await CreateAsync(new { name = "A", query = "q=(vaccine" }));
        Assert.Equal("query.entitty", await CreateAsync(new { name = "A", query = "entitty=Q30" }));
        Assert.Equal("query.published_from", await CreateAsync(new { name = "A", query = "published_from=yesterday" }));
        Assert.Equal("webhookUrl", await CreateAsync(new { name = "A", query = "q=vaccine", webhookUrl = "ftp://example.com/hook" }));
        Assert.Equal("webhookUrl", await CreateAsync(new { name = "A", query = "q=vaccine", webhookUrl = "not a url" }));
        Assert.Equal("body", await RefusedFieldAsync(await client.PostAsync("/watches", new StringContent("[1,2]", System.Text.Encoding.UTF8, "application/json"), Cancel)));

        foreach (var response in new[]
        {
            await client.GetAsync("/watches/nope", Cancel), await client.DeleteAsync("/watches/nope", Cancel),
            await client.PutAsJsonAsync("/watches/nope", new { name = "A", query = "q=x" }, Cancel), await client.GetAsync("/watches/nope/matches", Cancel),
            await client.PostAsync("/watches/nope/visit", null, Cancel),
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        var id = (await service.CreateWatchAsync("Vaccines", "q=vaccine")).GetProperty("id").GetString()!;
        Assert.Equal("limit", await RefusedFieldAsync(await client.GetAsync($"/watches/{id}/matches?limit=0", Cancel)));
        Assert.Equal("offset", await RefusedFieldAsync(await client.GetAsync($"/watches/{id}/matches?offset=x", Cancel)));
        Assert.Equal("query.worthiness", await RefusedFieldAsync(await client.PutAsJsonAsync($"/watches/{id}", new { name = "A", query = "worthiness=x" }, Cancel)));
        var tooMany = await client.PostAsJsonAsync("/watches", new { name = "Second", query = "q=x" }, Cancel);
        Assert.Equal(HttpStatusCode.Conflict, tooMany.StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/watches/{id}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/watches/{id}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Watches_need_an_api_key_and_a_read_key_may_use_them()
    {
        await using var service = await WatchService.StartAsync();
        using var anonymous = service.CreateClient(null);
        using var reader = service.CreateClient(TestApiKeys.Read);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/watches", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/watches", new { name = "A", query = "q=x" }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/watches/x/visit", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await reader.PostAsJsonAsync("/watches", new { name = "A", query = "q=x" }, Cancel)).StatusCode);
        Assert.Single((await reader.GetFromJsonAsync<JsonElement>("/watches", Cancel)).EnumerateArray());
    }

    [Fact]
    public async Task With_elasticsearch_the_database_path_is_required_and_the_start_error_names_it()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => LoopbackWebApp.StartAsync(
            builder =>
            {
                builder.Configuration["ConnectionStrings:elasticsearch"] = "http://127.0.0.1:9";
                builder.AddSearch();
            },
            app => app.MapSearch()));

        Assert.Contains("Watches:DatabasePath", error.Message, StringComparison.Ordinal);
    }
}
