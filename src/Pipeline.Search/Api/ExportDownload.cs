using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.Net.Http.Headers;
using Pipeline.SearchStore;

namespace Pipeline.Search.Api;

/// <summary>
/// Streams a validated export: pages through the search with its cursor, reads each hit's whole document, and writes
/// its rows straight into the response body, flushing as it goes, so memory holds one page of hits and one article's
/// rows however large the export. No Content-Length: the body is chunked. Once the body has begun a failure cannot
/// become an error status any more, so it aborts the connection: the client sees a truncated transfer (curl exits 18,
/// fetch rejects), never a clean end of a short file.
/// </summary>
public sealed partial class ExportDownload(
    IArticleSearch search, SearchRequest request, SearchResults first, ExportRows rows, ExportFormat format, int maxArticles, string fileName) : IResult
{
    /// <summary>Hits per search page (the search's maximum page size).</summary>
    public const int PageSize = SearchParameters.MaxSize;

    /// <summary>Rows are flushed to the client whenever this much is buffered (where the server can tell), and after every page.</summary>
    const int FlushBytes = 64 * 1024;

    public async Task ExecuteAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var logger = http.RequestServices.GetRequiredService<ILogger<ExportDownload>>();
        using var activity = SearchTelemetry.Start("export");
        activity?.SetTag("export.format", format.Name);
        activity?.SetTag("export.rows", rows.Name);
        activity?.SetTag("search.query", request.Query);
        activity?.SetTag("search.total", first.Total);
        var started = Stopwatch.GetTimestamp();
        var response = http.Response;
        response.ContentType = format.ContentType;
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = fileName }.ToString();
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";

        var articles = 0;
        long written = 0;
        long unreported = 0;
        try
        {
            await response.StartAsync(cancellationToken);
            var body = response.BodyWriter;
            format.Start(body, rows.Columns);
            var page = first;
            while (true)
            {
                foreach (var hit in page.Hits.Take(maxArticles - articles))
                {
                    // A document deleted between the search and this read is left out, as a later search would.
                    if (await search.GetAsync(hit.ArticleId, cancellationToken) is not { } document || ExportArticle.Of(document) is not { } article)
                    {
                        continue;
                    }

                    var count = rows.Write(article, format);
                    articles++;
                    written += count;
                    unreported += count;
                    if (body.CanGetUnflushedBytes && body.UnflushedBytes >= FlushBytes && !await FlushAsync(body, cancellationToken))
                    {
                        return;
                    }
                }

                if (!await FlushAsync(body, cancellationToken))
                {
                    return;
                }

                SearchTelemetry.RecordExported(format.Name, rows.Name, unreported);
                unreported = 0;
                if (page.NextCursor is null || articles >= maxArticles)
                {
                    break;
                }

                page = await search.SearchAsync(request with { Size = Math.Min(PageSize, maxArticles - articles), Cursor = page.NextCursor }, cancellationToken);
            }

            await response.CompleteAsync();
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away (a cancelled read, a reset connection): nothing to abort, nothing failed.
            activity?.SetTag("export.cancelled", true);
        }
        catch (Exception e)
        {
            // Ending the chunked body cleanly would hand the client a short file that looks complete.
            LogAborted(logger, e, format.Name, rows.Name, written);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            http.Abort();
        }
        finally
        {
            SearchTelemetry.RecordExported(format.Name, rows.Name, unreported);
            activity?.SetTag("export.articles", articles);
            activity?.SetTag("export.row_count", written);
            SearchTelemetry.Record("export", Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>False when the client has gone (the export stops without an error).</summary>
    static async Task<bool> FlushAsync(PipeWriter body, CancellationToken cancellationToken)
    {
        var flushed = await body.FlushAsync(cancellationToken);
        return !flushed.IsCompleted && !flushed.IsCanceled;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Format} export of {Rows} failed after {Written} rows; the download was aborted.")]
    static partial void LogAborted(ILogger logger, Exception exception, string format, string rows, long written);
}
