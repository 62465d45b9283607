using System.Text;
using Elastic.Transport;

namespace Pipeline.Indexing.Tests;

/// <summary>
/// The Elastic client's in-memory transport, scripted: each request is answered by the next recorded response for
/// its path (bodies as a real Elasticsearch 9 returns them), and every request body is kept for the test to inspect.
/// Index-template and index-creation calls are acknowledged.
/// </summary>
public sealed class RecordedElasticsearch : IRequestInvoker
{
    readonly Dictionary<string, Queue<(int Status, string Body)>> _responses = [];
    readonly InMemoryRequestInvoker _default = new(Encoding.UTF8.GetBytes("{\"acknowledged\":true}"), 200);

    public List<(string Path, string Body)> Requests { get; } = [];

    public ResponseFactory ResponseFactory => _default.ResponseFactory;

    /// <summary>Queues an answer for the next request whose path contains <paramref name="pathPart"/> (e.g. "_bulk").</summary>
    public RecordedElasticsearch Answer(string pathPart, int status, string body)
    {
        if (!_responses.TryGetValue(pathPart, out var queue))
        {
            _responses[pathPart] = queue = new();
        }

        queue.Enqueue((status, body));
        return this;
    }

    public int Count(string pathPart) => Requests.Count(r => r.Path.Contains(pathPart, StringComparison.Ordinal));

    InMemoryRequestInvoker Next(Endpoint endpoint, PostData? postData)
    {
        string body = "";
        if (postData is not null)
        {
            using var stream = new MemoryStream();
            postData.Write(stream, new TransportConfiguration(), false);
            body = Encoding.UTF8.GetString(stream.ToArray());
        }

        Requests.Add((endpoint.PathAndQuery, body));
        foreach (var (part, queue) in _responses)
        {
            if (endpoint.PathAndQuery.Contains(part, StringComparison.Ordinal))
            {
                var (status, response) = queue.Count > 1 ? queue.Dequeue() : queue.Peek();
                return new InMemoryRequestInvoker(Encoding.UTF8.GetBytes(response), status);
            }
        }

        return _default;
    }

    public TResponse Request<TResponse>(Endpoint endpoint, BoundConfiguration boundConfiguration, PostData? postData)
        where TResponse : TransportResponse, new() =>
        Next(endpoint, postData).Request<TResponse>(endpoint, boundConfiguration, postData);

    public Task<TResponse> RequestAsync<TResponse>(Endpoint endpoint, BoundConfiguration boundConfiguration, PostData? postData, CancellationToken cancellationToken)
        where TResponse : TransportResponse, new() =>
        Next(endpoint, postData).RequestAsync<TResponse>(endpoint, boundConfiguration, postData, cancellationToken);

    public void Dispose() => ((IDisposable)_default).Dispose();
}
