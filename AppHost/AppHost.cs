using Pipeline.AppHost;
using Pipeline.AppHost.Broker;

var builder = DistributedApplication.CreateBuilder(args);
var settings = PipelineSettings.From(builder);
var broker = builder.AddBroker(settings);
var store = builder.AddSearchStore(settings, broker);

builder.AddProject<Projects.Pipeline_Ingestion>("ingestion")
    .WithBroker(broker)
    .WithIngestionSettings(settings)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Pipeline_ClaimTagging>("claim-tagging")
    .WithBroker(broker)
    .WithOptionalLlm(builder)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Pipeline_EntityLinking>("entity-linking")
    .WithBroker(broker)
    .WithKnowledgeBase(settings)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Pipeline_Indexing>("indexing")
    .WithBroker(broker)
    .WithSearchStore(store, settings.IndexPath)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Pipeline_Search>("search")
    .WithBroker(broker)
    .WithSearchStore(store, settings.IndexPath)
    .WithHttpHealthCheck("/health");

builder.Build().Run();
