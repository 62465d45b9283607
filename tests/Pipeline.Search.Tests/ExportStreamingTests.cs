using System.Net;
using Pipeline.SearchStore;
using Pipeline.Testing;

namespace Pipeline.Search.Tests;

/// <summary>
/// A large export (the fixture's bulk articles: tens of megabytes of claims) is streamed with bounded memory, and a
/// store failure after the first rows aborts the download rather than ending it like a complete file.
/// </summary>
[Collection(ExportCollection.Name)]
public sealed class ExportStreamingTests(ExportServiceFixture service)
{
    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    const string Bulk = $"outlet={ExportServiceFixture.BulkOutlet}&sort=newest";

    /// <summary>Claim rows of the bulk articles: each row holds a claim text of <see cref="ExportServiceFixture.BulkClaimLength"/> characters.</summary>
    const long ExportBytes = (long)ExportServiceFixture.BulkCount * ExportServiceFixture.BulkClaims * ExportServiceFixture.BulkClaimLength;

    [Fact]
    public async Task A_client_that_stops_reading_stops_the_export_and_the_server_holds_a_small_part_of_it()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var readBefore = service.Store.DocumentsRead;
        using var client = service.CreateSmallBufferClient();
        using var response = await client.GetAsync($"/export?{Bulk}&rows=claims&format=csv", HttpCompletionOption.ResponseHeadersRead, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync(Cancel);
        var buffer = new byte[64 * 1024];
        await body.ReadExactlyAsync(buffer, Cancel);

        // The client pauses: the server fills the sockets' and the pipe's buffers (a few hundred KiB), then waits for it.
        var paused = await Eventually.HoldsAsync(
            async ct =>
            {
                var before = service.Store.DocumentsRead;
                await Task.Delay(300, ct);
                return (Before: before, After: service.Store.DocumentsRead);
            },
            reads => reads.Before == reads.After,
            TimeSpan.FromSeconds(30),
            "the export waits for the client",
            Cancel);
        var fetched = paused.After - readBefore;
        var heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        TestContext.Current.TestOutputHelper?.WriteLine($"Paused export: {fetched} of {ExportServiceFixture.BulkCount} articles read, managed heap +{heapGrowth / 1024} KiB for a ~{ExportBytes / 1024 / 1024} MiB export");

        Assert.True(fetched < ExportServiceFixture.BulkCount / 4, $"{fetched} of {ExportServiceFixture.BulkCount} articles read while the client read 64 KiB");
        Assert.True(heapGrowth < ExportBytes / 4, $"the managed heap grew {heapGrowth} bytes during an export of {ExportBytes} bytes");

        // Reading on, the client gets every row.
        var rows = 0L;
        var bytes = (long)buffer.Length;
        var lines = CountLineEnds(buffer, buffer.Length);
        for (int read; (read = await body.ReadAsync(buffer, Cancel)) > 0;)
        {
            bytes += read;
            lines += CountLineEnds(buffer, read);
        }

        rows = lines - 1;
        Assert.Equal(ExportServiceFixture.BulkCount * ExportServiceFixture.BulkClaims, rows);
        Assert.True(bytes > ExportBytes, $"{bytes} bytes");
    }

    [Fact]
    public async Task A_client_that_disconnects_stops_the_export()
    {
        var readBefore = service.Store.DocumentsRead;
        using (var client = service.CreateSmallBufferClient())
        using (var response = await client.GetAsync($"/export?{Bulk}&rows=claims&format=ndjson", HttpCompletionOption.ResponseHeadersRead, Cancel))
        {
            await using var body = await response.Content.ReadAsStreamAsync(Cancel);
            await body.ReadExactlyAsync(new byte[64 * 1024], Cancel);
        }

        var stopped = await Eventually.HoldsAsync(
            async ct =>
            {
                var before = service.Store.DocumentsRead;
                await Task.Delay(500, ct);
                return (Before: before, After: service.Store.DocumentsRead);
            },
            reads => reads.Before == reads.After,
            TimeSpan.FromSeconds(30),
            "the export stops reading articles",
            Cancel);

        Assert.True(stopped.After - readBefore < ExportServiceFixture.BulkCount / 4, $"{stopped.After - readBefore} of {ExportServiceFixture.BulkCount} articles read after the client left");
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/export?q=title:hyperlink", Cancel)).StatusCode);
    }

    /// <summary>Record ends: the bulk claims hold no line breaks, so every LF ends a CSV record.</summary>
    static long CountLineEnds(byte[] buffer, int count) => buffer.AsSpan(0, count).Count((byte)'\n');

    [Theory]
    [InlineData("csv")]
    [InlineData("ndjson")]
    public async Task A_store_failure_after_the_first_page_aborts_the_download(string format)
    {
        service.Store.Fails = r => r.Cursor is not null && r.Filters.OfType<TermsFilter>().Any(f => f.Values.Contains(ExportServiceFixture.BulkOutlet));
        try
        {
            // The abort resets the connection: the client may see it mid-body or, as the reset discards what it has
            // not read yet, before the headers; never a complete response.
            var failure = await Record.ExceptionAsync(async () =>
            {
                using var response = await service.Client.GetAsync($"/export?{Bulk}&rows=articles&format={format}", HttpCompletionOption.ResponseHeadersRead, Cancel);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                await using var body = await response.Content.ReadAsStreamAsync(Cancel);
                await body.CopyToAsync(Stream.Null, Cancel);
            });

            Assert.True(failure is HttpRequestException or IOException, $"the download fails with a transport error, got {failure?.GetType().Name ?? "a complete response"}");
        }
        finally
        {
            service.Store.Fails = null;
        }
    }
}
