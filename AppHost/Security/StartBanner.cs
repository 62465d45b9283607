using Pipeline.AppHost.Broker;
using Pipeline.ServiceDefaults.Security;

namespace Pipeline.AppHost.Security;

/// <summary>What a user needs to start using the pipeline, printed once when the AppHost starts: the URLs and the keys.</summary>
static class StartBanner
{
    public static void Print(TextWriter output, PipelineSettings settings, BrokerChoice broker, ApiKeys? keys, string keysPath, bool keysCreated)
    {
        output.WriteLine($"""
            Dashboard:            http://localhost:18888
            Ingestion API:        http://localhost:5101   (POST /articles)
            Search API and page:  http://localhost:5102   (GET /search?q=..., the analyst page at /)
            """);
        if (broker.Mode != BrokerMode.External)
        {
            output.WriteLine($"RabbitMQ management:  http://localhost:{settings.RabbitMQ.ManagementPort}  (guest / guest, from this machine only)");
        }

        if (keys is null)
        {
            output.WriteLine("Authentication is OFF (Auth:Disabled=true): anyone who reaches the ports may do anything.");
        }
        else
        {
            output.WriteLine($"""
                API keys ({(keysCreated ? "generated now, kept in" : "from")} {keysPath}); send one in the X-Api-Key header:
                  ingest (POST /articles, /articles/batch, /articles/html, /feeds):  {keys.Ingest}
                  read   (search API and analyst page):                            {keys.Read}
                  admin  (every /admin endpoint, and everything else):             {keys.Admin}
                For the README's examples and `pipeline import`:
                  export PIPELINE_API_KEY={keys.Ingest} PIPELINE_READ_KEY={keys.Read}
                """);
        }

        output.WriteLine("Stop with Ctrl+C (or SIGTERM).");
    }
}
