using Pipeline.Cli.Bench;
using Pipeline.Processes;

namespace Pipeline.Cli.Chaos;

/// <summary>
/// Sends each request to wherever the service runs now, with its current admin key: a restarted service process gets a
/// new port and key, and a client that keeps sending to the old ones would only ever see connection failures. While the
/// service is down, a request fails as a refused connection does.
/// </summary>
public sealed class CurrentServiceHandler(ServiceReplica replica) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ServiceProcess service;
        try
        {
            service = replica.IsRunning ? replica.Process : throw new InvalidOperationException();
        }
        catch (InvalidOperationException)
        {
            throw new HttpRequestException($"{replica.Name} is not running.");
        }

        request.RequestUri = new Uri(service.Address, request.RequestUri!.PathAndQuery);
        request.Headers.Remove(ServiceProcess.ApiKeyHeader);
        request.Headers.Add(ServiceProcess.ApiKeyHeader, service.AdminKey);
        return base.SendAsync(request, cancellationToken);
    }
}
