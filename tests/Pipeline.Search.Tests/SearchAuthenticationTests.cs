using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.Search.Tests;

/// <summary>The search API needs a read (or admin) key; the analyst page itself, health and OpenAPI do not.</summary>
public sealed class SearchAuthenticationTests(SearchServiceFixture service) : IClassFixture<SearchServiceFixture>
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    static readonly string[] ApiPaths = ["/search?q=election", "/articles/xi-promise", "/entities/Q148", "/suggest/entities?prefix=Bi"];

    [Fact]
    public async Task Without_a_key_or_with_a_wrong_one_every_api_call_is_a_401_problem()
    {
        using var anonymous = service.CreateClient(apiKey: null);
        using var wrong = service.CreateClient("not-one-of-the-keys-at-all");

        foreach (var client in new[] { anonymous, wrong })
        {
            foreach (var path in ApiPaths)
            {
                using var response = await client.GetAsync(path, Cancel);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Contains("X-Api-Key", (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task The_read_and_admin_keys_search_and_the_ingest_key_is_forbidden_with_the_role_named()
    {
        using var read = service.CreateClient(TestApiKeys.Read);
        using var admin = service.CreateClient(TestApiKeys.Admin);
        using var ingest = service.CreateClient(TestApiKeys.Ingest);

        foreach (var path in ApiPaths)
        {
            Assert.Equal(HttpStatusCode.OK, (await read.GetAsync(path, Cancel)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path, Cancel)).StatusCode);
        }

        using var forbidden = await ingest.GetAsync("/search?q=election", Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("Auth:ReadKeys", (await forbidden.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_health_and_openapi_need_no_key()
    {
        using var anonymous = service.CreateClient(apiKey: null);

        foreach (var path in new[] { "/", "/app.js", "/openapi/v1.json" })
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(path, Cancel)).StatusCode);
        }
    }
}
