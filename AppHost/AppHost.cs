using Pipeline.AppHost;
using Pipeline.AppHost.Broker;
using Pipeline.AppHost.Operations;
using Pipeline.AppHost.Resilience;
using Pipeline.AppHost.Security;
using Pipeline.Messaging;
using Pipeline.ServiceDefaults.Security;

var builder = DistributedApplication.CreateBuilder(args);
var settings = PipelineSettings.From(builder);
var broker = builder.AddBroker(settings);
var store = builder.AddSearchStore(settings, broker);
var keys = AuthExtensions.ApiKeysOf(builder, out var keysPath, out var keysCreated);

var ingestion = builder.AddProject<Projects.Pipeline_Ingestion>("ingestion")
    .WithBroker(broker)
    .WithIngestionControl()
    .WithIngestionSettings(settings)
    .WithApiKeys(keys)
    .WithHttpHealthCheck("/health");

var indexing = builder.AddProject<Projects.Pipeline_Indexing>("indexing")
    .WithBroker(broker)
    .WithSearchStore(store, settings.IndexPath)
    .WithEnricherQueues()
    .WithErrorQueueReplay(broker, QueueNames.Indexing)
    .WithIndexRebuild()
    .WithApiKeys(keys)
    .WithHttpHealthCheck("/health");

// No article before every consumer's queue exists: ingestion waits for indexing and every enricher below.
ingestion.WaitForArticleConsumers(indexing);

builder.AddProject<Projects.Pipeline_ClaimTagging>("claim-tagging")
    .WithOptionalLlm(builder)
    .AsEnricher("claims", broker, indexing);

builder.AddProject<Projects.Pipeline_EntityLinking>("entity-linking")
    .WithKnowledgeBase(settings)
    .AsEnricher("entities", broker, indexing);

// A third-party enricher is this one line (see docs/enrichers.md).
builder.AddEnricher<Projects.Pipeline_Enrichers_FactCheckMatching>("fact-checking", "fact-checks", broker, indexing);

builder.AddProject<Projects.Pipeline_Search>("search")
    .WithBroker(broker)
    .WithSearchStore(store, settings.IndexPath)
    .WithEnvironment("Watches__DatabasePath", Path.Combine(settings.DataPath, "watches.db"))
    // Off unless asked for (./run --Pipeline:Watches:AllowPrivateAddresses=true): webhooks to this machine, for a local try.
    .WithEnvironment("Watches__AllowPrivateAddresses", settings.Watches.AllowPrivateAddresses ? "true" : "false")
    .WithApiKeys(keys)
    .WithHttpHealthCheck("/health");

builder.ApplyReplicas(settings, store);
builder.AddCrashRestarts(settings);

if (builder.ExecutionContext.IsRunMode)
{
    StartBanner.Print(Console.Out, settings, broker, keys, keysPath, keysCreated);
}

builder.Build().Run();
